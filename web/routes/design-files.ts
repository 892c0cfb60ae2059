import { Readable } from "node:stream";
import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { parseByteRange } from "../../server/http/byte-range.ts";
import { contentDisposition } from "../../server/http/content-disposition.ts";
import { RASTER_TYPES } from "../../server/modules/design-files/index.ts";
import { notFound } from "../../server/platform/errors.ts";

/** What one stored blob is served as. */
interface Served {
  readonly sha256: string;
  readonly mediaType: string;
  readonly downloadName: string;
}

const ACTOR = "/:actorPath{@[A-Za-z0-9_.-]+}";

/**
 * The files of design releases, and their previews: public, streamed from the blob store, never run by a
 * browser. Everything is sent with nosniff and a sandboxing CSP; only raster images are shown inline, and
 * everything else (SVG always, since it can hold script) is an attachment (OWASP's file upload cheat sheet,
 * "serve with Content-Disposition: attachment"). A release never changes, so its files are cached for a
 * year, with the SHA-256 as ETag. HEAD and one byte range are supported, so downloads can resume.
 */
export function createDesignFileRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get(`${ACTOR}/releases/:version/files/:name`, async (c) => {
    const file = await findFile(deps, c);
    return await serveBlob(deps, c, { sha256: file.sha256, mediaType: file.mediaType, downloadName: file.name });
  });

  routes.get(`${ACTOR}/releases/:version/files/:name/preview`, async (c) => {
    const file = await findFile(deps, c);
    if (file.preview === null) throw notFound("This file has no preview.");
    const downloadName = `${file.name.replace(/\.[^.]*$/, "")}.preview.webp`;
    return await serveBlob(deps, c, { sha256: file.preview.sha256, mediaType: "image/webp", downloadName });
  });

  return routes;
}

async function findFile(deps: AppDeps, c: Context<AppEnv>) {
  const handle = c.req.param("actorPath")!.slice(1);
  const release = await deps.services.designs.release(handle, c.req.param("version")!);
  const name = c.req.param("name")!;
  const file = release.files.find((f) => f.name === name);
  if (file === undefined) throw notFound(`Release ${release.version} has no file named ${JSON.stringify(name.slice(0, 80))}.`);
  return file;
}

async function serveBlob(deps: AppDeps, c: Context<AppEnv>, served: Served): Promise<Response> {
  const size = await deps.services.designFiles.size(served.sha256);
  if (size === undefined) throw notFound("This file's bytes are missing from the node's storage.");
  const etag = `"${served.sha256}"`;
  const headers: Record<string, string> = {
    "Content-Type": served.mediaType,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Content-Disposition": contentDisposition(RASTER_TYPES.has(served.mediaType) ? "inline" : "attachment", served.downloadName),
    "Cache-Control": "public, max-age=31536000, immutable",
    "Accept-Ranges": "bytes",
    ETag: etag,
  };
  if (matchesEtag(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);

  const ifRange = c.req.header("if-range");
  const range = ifRange === undefined || ifRange === etag ? parseByteRange(c.req.header("range"), size) : undefined;
  if (range === "unsatisfiable") return c.body(null, 416, { ...headers, "Content-Range": `bytes */${size}` });
  const status = range === undefined ? 200 : 206;
  const length = range === undefined ? size : range.end - range.start + 1;
  if (range !== undefined) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${size}`;
  headers["Content-Length"] = String(length);
  // HEAD answers with the same headers; the file is not even opened.
  if (c.req.method === "HEAD" || length === 0) return c.body(null, status, headers);
  const { stream } = await deps.services.designFiles.open(served.sha256, range);
  return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, status, headers);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
