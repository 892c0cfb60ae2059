import type { Context } from "hono";
import type { AppEnv } from "../server/http/app-env.ts";

/** Where a page that needs a signed-in member sends a visitor: the login form, coming back afterwards. */
export function loginRedirect(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`, 303);
}
