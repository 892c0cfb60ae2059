import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { notFound } from "../../server/platform/errors.ts";
import { parseMediaFileName } from "../../server/modules/media/index.ts";

/**
 * Uploaded images, public and unsigned (Mastodon downloads media with plain GETs,
 * app/models/concerns/remotable.rb). Only re-encoded WebP is stored, and it is served so that a browser can never run it as a
 * page: nosniff and a sandboxing CSP (docs/security.md#media, XSS-07, ORI-08, MED-04). An id never changes
 * content, so caches may keep it for a year.
 */
export function createMediaRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/media/:file", async (c) => {
    const id = parseMediaFileName(c.req.param("file"));
    const media = id === undefined ? undefined : await deps.services.media.file(id);
    if (media === undefined) throw notFound("There is no image at this address.");
    const etag = `"${media.id}"`;
    const headers = {
      "Content-Type": media.contentType,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: etag,
      "Last-Modified": media.createdAt.toUTCString(),
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body(media.data, 200, { ...headers, "Content-Length": String(media.data.byteLength) });
  });

  return routes;
}
