import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { badRequest, forbidden } from "../platform/errors.ts";
import { generateToken } from "../modules/accounts/secret-token.ts";
import { readSessionCookie } from "./session-cookie.ts";
import { isPageStreamingUpload, isStreamingUpload } from "./streaming-uploads.ts";

export const CSRF_COOKIE = "cn_csrf";
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

export interface CsrfEnv {
  Variables: { csrfToken: string };
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Double-submit CSRF protection plus an origin check (docs/security.md#web, WEB-01/02): every page gets a
 * random `cn_csrf` cookie that forms echo in `_csrf` (and cookie-authenticated JSON calls in
 * X-CSRF-Token). A cross-site request can send the cookie but cannot read it to echo it. Requests
 * authenticated by an API token carry no ambient authority and skip the check.
 */
export function csrfProtection(publicOrigin: string): MiddlewareHandler<CsrfEnv> {
  const publicUrl = new URL(publicOrigin);
  return async (c, next) => {
    let token = getCookie(c, CSRF_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = generateToken();
      setCookie(c, CSRF_COOKIE, token, {
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
        secure: publicOrigin.startsWith("https:"),
      });
    }
    c.set("csrfToken", token);
    const bearer = /^Bearer\b/i.test(c.req.header("authorization") ?? "");
    const hasSession = readSessionCookie(c, publicUrl) !== undefined;
    // API calls without a session cookie carry no ambient authority: nothing to forge.
    const exposed = c.req.path.startsWith("/api/") ? hasSession : true;
    if (UNSAFE.has(c.req.method) && !bearer && exposed) {
      checkOrigin(c, publicOrigin);
      const echoed = c.req.header(CSRF_HEADER) === token;
      if (isStreamingUpload(c)) {
        // Parsing the form for `_csrf` would read a release of hundreds of megabytes into memory. A page
        // form's route compares its first field with the token before reading on (isPageStreamingUpload).
        if (!echoed && !isPageStreamingUpload(c)) throw forbidden("Uploads from a signed-in page need the X-CSRF-Token header.");
      } else if (isForm(c)) {
        const body = await formBody(c);
        if (body[CSRF_FIELD] !== token) throw forbidden("The form expired or came from another site; reload the page and try again.");
      } else if (hasSession && c.req.header(CSRF_HEADER) !== token) {
        throw forbidden("Cookie-authenticated requests need the X-CSRF-Token header.");
      }
    }
    await next();
  };
}

/**
 * The form to find the token in. Page forms were parsed by formGuard already; an API call with a
 * session cookie and a form content type is parsed here first, so a malformed body is a 400.
 */
async function formBody(c: Context): Promise<Record<string, unknown>> {
  try {
    return await c.req.parseBody();
  } catch {
    throw badRequest("The form body is malformed; send it again.");
  }
}

function checkOrigin(c: Context, publicOrigin: string): void {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== "null" && origin !== publicOrigin) {
    throw forbidden(`Cross-site request from ${origin} refused.`);
  }
  if (c.req.header("sec-fetch-site") === "cross-site") throw forbidden("Cross-site request refused.");
}

function isForm(c: Context): boolean {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data") || type.startsWith("text/plain");
}
