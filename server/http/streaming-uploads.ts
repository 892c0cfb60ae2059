import type { Context } from "hono";

/**
 * Routes that read their body as a stream, part by part, with caps of their own (a design release reaches
 * 500 MB): the app's global body limit does not apply to them, and the CSRF check must not parse their
 * body whole, so cookie-authenticated calls to them carry the X-CSRF-Token header.
 */
const STREAMING_UPLOADS: readonly { readonly method: string; readonly path: RegExp }[] = [
  { method: "POST", path: /^\/api\/v1\/designs\/[^/]+\/releases\/?$/ },
];

export function isStreamingUpload(c: Pick<Context, "req">): boolean {
  return STREAMING_UPLOADS.some((route) => route.method === c.req.method && route.path.test(c.req.path));
}
