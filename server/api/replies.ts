import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import type { MemberNote } from "../modules/notes/index.ts";
import { postReply, type ReplyPort } from "../modules/replies/replies.ts";
import { ReplySchema } from "../modules/replies/reply.schema.ts";
import { createReplyPort } from "../../federation/member-notes.ts";
import { memberNotePath } from "../../federation/uris.ts";
import { BEARER, ERROR_SCHEMA, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** Members reply to posts on other servers: `POST /api/v1/replies`. */
export function createRepliesApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const port = replyPortOf(deps);

  api.post("/replies", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, ReplySchema);
    const note = await postReply(deps.db, deps.config.publicUrl, { actorId: viewer.actorId, handle: viewer.handle }, input, port);
    return c.json(toReplyJson(deps.config.publicUrl, note), 201);
  });

  return api;
}

function replyPortOf(deps: AppDeps): ReplyPort {
  return createReplyPort(deps.federation, { db: deps.db, box: deps.box, config: deps.config });
}

export function toReplyJson(publicUrl: URL, note: MemberNote) {
  const iri = new URL(memberNotePath(note.authorHandle, note.id), publicUrl).href;
  return { id: note.id, iri, url: iri, inReplyTo: note.inReplyToIri, contentHtml: note.contentHtml, published: note.publishedAt.toISOString() };
}

const error = (description: string) => jsonResponse(description, ERROR_SCHEMA);

export const repliesOpenApi: OpenApiPaths = {
  "/v1/replies": {
    post: {
      summary: "Reply to a post on another server",
      description:
        "Publishes a note of yours replying to `inReplyTo`: Markdown rendered to Mastodon's HTML subset, mentioning the post's author, " +
        "public, delivered as `Create(Note)` to the author's server and to your followers. Posts of the accounts you follow are known; " +
        "any other post is looked up first.",
      tags: ["follows"],
      security: BEARER,
      requestBody: jsonBody({
        type: "object",
        required: ["inReplyTo", "content"],
        properties: {
          inReplyTo: { type: "string", format: "uri", description: "The id (IRI) of the post replied to" },
          content: { type: "string", minLength: 1, maxLength: 5000, description: "Markdown" },
        },
      }),
      responses: {
        201: jsonResponse("The reply was published", {
          type: "object",
          required: ["id", "iri", "url"],
          properties: {
            id: { type: "string" },
            iri: { type: "string", format: "uri", description: "The Note's id, `/@{you}/notes/{id}`" },
            url: { type: "string", format: "uri" },
            inReplyTo: { type: "string", format: "uri" },
            contentHtml: { type: "string" },
            published: { type: "string", format: "date-time" },
          },
        }),
        401: error("Not signed in"),
        410: error("The post replied to was deleted"),
        422: error("A field is invalid, the post was not found, or it is on this node"),
      },
    },
  },
};
