import type { Context } from "hono";

/**
 * Routes that read their body as a stream, part by part, with caps of their own (a design release reaches
 * 500 MB): the app's global body limit and the form guard do not apply to them, and the CSRF check must not
 * parse their body whole, so cookie-authenticated calls to them carry the X-CSRF-Token header. A page route
 * that streams an upload is added here too.
 */
const STREAMING_UPLOADS: readonly { readonly method: string; readonly path: RegExp }[] = [
  { method: "POST", path: /^\/api\/v1\/designs\/[^/]+\/releases\/?$/ },
  // An Open Know-How import: okh.toml and the files of a first release (server/api/design-import.ts).
  { method: "POST", path: /^\/api\/v1\/designs\/import\/?$/ },
];

/**
 * Page forms read the same way: a plain HTML form cannot send a header, so these carry the CSRF token as
 * their first field, `_csrf`, which the route compares with the cookie before it reads anything else
 * (web/release-form-stream.ts). The origin check still runs first, in the CSRF middleware.
 */
const PAGE_STREAMING_UPLOADS: readonly { readonly method: string; readonly path: RegExp }[] = [
  { method: "POST", path: /^\/@[A-Za-z0-9_.-]+\/releases\/new\/?$/ },
];

const matches = (routes: typeof STREAMING_UPLOADS, c: Pick<Context, "req">) => routes.some((route) => route.method === c.req.method && route.path.test(c.req.path));

export function isStreamingUpload(c: Pick<Context, "req">): boolean {
  return matches(STREAMING_UPLOADS, c) || matches(PAGE_STREAMING_UPLOADS, c);
}

/** A streamed page form: its route checks the `_csrf` field itself, as the first part of the body. */
export function isPageStreamingUpload(c: Pick<Context, "req">): boolean {
  return matches(PAGE_STREAMING_UPLOADS, c);
}
