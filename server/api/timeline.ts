import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { AppError, invalidInput } from "../platform/errors.ts";
import { TimelineQuerySchema } from "../modules/following/following.schemas.ts";
import {
  formatTimelineCursor,
  listTimeline,
  parseTimelineCursor,
  type RemotePost,
} from "../modules/remote-posts/index.ts";
import { BEARER, ERROR_SCHEMA, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";

/** The signed-in member's home timeline: posts of the accounts they follow. */
export function createTimelineApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get("/timeline", async (c) => {
    const viewer = requireViewer(c);
    const parsed = TimelineQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw invalidInput(parsed.error);
    const { before, limit } = parsed.data;
    const cursor = before === undefined ? undefined : parseTimelineCursor(before);
    if (cursor === null) throw new AppError(422, "invalid_input", "before: is not a cursor from this API", [{ path: "before", message: "is not a cursor from this API" }]);
    const page = await listTimeline(deps.db, viewer.actorId, { before: cursor, limit });
    return c.json({ items: page.items.map(toTimelineItemJson), next: page.next === null ? null : formatTimelineCursor(page.next) });
  });

  return api;
}

export function toTimelineItemJson(post: RemotePost) {
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

const ITEM_SCHEMA = {
  type: "object",
  required: ["iri", "url", "author", "contentHtml", "published", "inReplyTo", "attachments"],
  properties: {
    iri: { type: "string", format: "uri" },
    url: { type: "string", format: "uri", description: "The post's page on its server" },
    author: {
      type: "object",
      required: ["iri", "acct", "name"],
      properties: {
        iri: { type: "string", format: "uri" },
        acct: { type: "string", description: "`user@host`" },
        name: { type: "string", description: "Plain text" },
        url: { type: ["string", "null"], format: "uri" },
        avatar: { type: ["string", "null"], format: "uri" },
      },
    },
    contentHtml: { type: "string", description: "Sanitised to Mastodon's HTML allowlist when received" },
    summary: { type: ["string", "null"], description: "Content warning, plain text" },
    sensitive: { type: "boolean" },
    published: { type: "string", format: "date-time" },
    inReplyTo: { type: ["string", "null"], format: "uri" },
    attachments: {
      type: "array",
      maxItems: 4,
      items: {
        type: "object",
        properties: {
          url: { type: "string", format: "uri" },
          mediaType: { type: ["string", "null"] },
          alt: { type: ["string", "null"] },
          width: { type: ["integer", "null"] },
          height: { type: ["integer", "null"] },
          blurhash: { type: ["string", "null"] },
        },
      },
    },
  },
} as const;

export const timelineOpenApi: OpenApiPaths = {
  "/v1/timeline": {
    get: {
      summary: "Your home timeline",
      description: "Posts of the accounts you follow (accepted follows only), newest first. Pass `next` as `before` for older posts.",
      tags: ["follows"],
      security: BEARER,
      parameters: [
        { name: "before", in: "query", schema: { type: "string" }, description: "The `next` cursor of the previous page" },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 40, default: 20 } },
      ],
      responses: {
        200: jsonResponse("A page of the timeline", {
          type: "object",
          required: ["items", "next"],
          properties: { items: { type: "array", items: ITEM_SCHEMA }, next: { type: ["string", "null"], description: "Cursor of the next (older) page" } },
        }),
        401: jsonResponse("Not signed in", ERROR_SCHEMA),
        422: jsonResponse("A query parameter is invalid", ERROR_SCHEMA),
      },
    },
  },
};
