import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_TTL_DAYS } from "../modules/accounts/index.ts";

const SESSION_COOKIE_BASE = "cn_session";

/**
 * The session cookie's name. On https it carries the `__Host-` prefix (RFC 6265bis §4.1.3.2): the
 * browser then accepts it only with Secure, Path=/ and no Domain, set by this very origin, so a
 * sibling subdomain or a plain-http page cannot plant or shadow a session ("cookie tossing"). On
 * http (local development) browsers refuse `__Host-` cookies, so the plain name is used.
 */
export function sessionCookieName(publicUrl: URL): string {
  return isHttps(publicUrl) ? `__Host-${SESSION_COOKIE_BASE}` : SESSION_COOKIE_BASE;
}

/** The session token the browser sent, read only under the name this node sets. */
export function readSessionCookie(c: Context, publicUrl: URL): string | undefined {
  return getCookie(c, sessionCookieName(publicUrl));
}

export function writeSessionCookie(c: Context, publicUrl: URL, token: string): void {
  setCookie(c, sessionCookieName(publicUrl), token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(publicUrl),
    maxAge: SESSION_TTL_DAYS * 24 * 3600,
  });
}

export function clearSessionCookie(c: Context, publicUrl: URL): void {
  deleteCookie(c, sessionCookieName(publicUrl), { path: "/", secure: isHttps(publicUrl) });
}

const isHttps = (publicUrl: URL) => publicUrl.protocol === "https:";
