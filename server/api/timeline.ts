import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { DomainError, invalidInput } from "../platform/errors.ts";
import { TimelineQuerySchema } from "../modules/following/following.schemas.ts";
import { parseTimelineCursor, type RemotePost } from "../modules/remote-posts/index.ts";
import { type ApiOperation, error, type JsonOf, Timestamp, Url } from "./openapi-registry.ts";
import { RemoteAccountJson, RemoteAttachmentJson } from "./remote-json.ts";

/** The signed-in member's home timeline: posts of the accounts they follow. */
export function createTimelineApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { remotePosts } = deps.services;

  api.get("/timeline", async (c) => {
    const viewer = requireViewer(c);
    const parsed = TimelineQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw invalidInput(parsed.error);
    const { before, limit } = parsed.data;
    const cursor = before === undefined ? undefined : parseTimelineCursor(before);
    if (cursor === null) throw new DomainError("invalid_input", "invalid_input", "before: is not a cursor from this API", [{ path: "before", message: "is not a cursor from this API" }]);
    const page = await remotePosts.timeline(viewer.actorId, { before: cursor, limit });
    return c.json({ items: page.items.map(toTimelineItemJson), next: page.next });
  });

  return api;
}

export function toTimelineItemJson(post: RemotePost): JsonOf<typeof TimelineItemJson> {
  return {
    iri: post.iri,
    url: post.url ?? post.iri,
    author: { iri: post.author.iri, acct: post.author.handle, name: post.author.name, url: post.author.url, avatar: post.author.iconUrl },
    contentHtml: post.contentHtml,
    summary: post.summary,
    sensitive: post.sensitive,
    published: post.publishedAt.toISOString(),
    inReplyTo: post.inReplyToIri,
    attachments: post.attachments,
  };
}

const TimelineItemJson = z
  .object({
    iri: Url,
    url: Url.meta({ description: "The post's page on its server" }),
    author: RemoteAccountJson,
    contentHtml: z.string().meta({ description: "Sanitised to Mastodon's HTML allowlist when received" }),
    summary: z.string().nullable().meta({ description: "Content warning, plain text" }),
    sensitive: z.boolean(),
    published: Timestamp,
    inReplyTo: Url.nullable(),
    attachments: z.array(RemoteAttachmentJson),
  })
  .meta({ id: "TimelineItem" });

const TimelinePageJson = z.object({
  items: z.array(TimelineItemJson),
  next: z.string().nullable().meta({ description: "Cursor of the next (older) page" }),
});

export const timelineOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/timeline",
    operationId: "getTimeline",
    tags: ["follows"],
    summary: "Your home timeline",
    description: "Posts of the accounts you follow (accepted follows only), newest first. Pass `next` as `before` for older posts.",
    auth: true,
    query: TimelineQuerySchema,
    paramDescriptions: { before: "The `next` cursor of the previous page" },
    responses: {
      200: { description: "A page of the timeline", schema: TimelinePageJson },
      401: error("Not signed in"),
      422: error("A query parameter is invalid"),
    },
  },
];
