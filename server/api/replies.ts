import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import type { MemberNote } from "../modules/notes/index.ts";
import { ReplySchema } from "../modules/replies/reply.schema.ts";
import { memberNotePath } from "../../federation/uris.ts";
import { type ApiOperation, error, type JsonOf, Timestamp, Url } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** Members reply to posts on other servers: `POST /api/v1/replies`. */
export function createRepliesApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { replies } = deps.services;

  api.post("/replies", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, ReplySchema);
    const note = await replies.post({ actorId: viewer.actorId, handle: viewer.handle }, input);
    return c.json(toReplyJson(deps.config.publicUrl, note), 201);
  });

  return api;
}

export function toReplyJson(publicUrl: URL, note: MemberNote): JsonOf<typeof MemberReplyJson> {
  const iri = new URL(memberNotePath(note.authorHandle, note.id), publicUrl).href;
  return { id: note.id, iri, url: iri, inReplyTo: note.inReplyToIri, contentHtml: note.contentHtml, published: note.publishedAt.toISOString() };
}

const MemberReplyJson = z
  .object({
    id: z.string(),
    iri: Url.meta({ description: "The Note's id, `/@{you}/notes/{id}`" }),
    url: Url,
    inReplyTo: Url,
    contentHtml: z.string(),
    published: Timestamp,
  })
  .meta({ id: "MemberReply" });

export const repliesOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/v1/replies",
    operationId: "replyToPost",
    tags: ["follows"],
    summary: "Reply to a post on another server",
    description:
      "Publishes a note of yours replying to `inReplyTo` (the id of the post replied to): `content` is Markdown rendered to Mastodon's HTML subset, mentioning the post's author, " +
      "public, delivered as `Create(Note)` to the author's server and to your followers. Posts of the accounts you follow are known; " +
      "any other post is looked up first.",
    auth: true,
    body: { schema: ReplySchema },
    responses: {
      201: { description: "The reply was published", schema: MemberReplyJson },
      401: error("Not signed in"),
      410: error("The post replied to was deleted"),
      422: error("A field is invalid, the post was not found, or it is on this node"),
    },
  },
];
