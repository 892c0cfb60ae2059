import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../server/http/app-env.ts";

/** What every page's frame needs: the node's name, who is signed in, and the CSRF token for forms. */
export interface PageContext {
  readonly nodeName: string;
  readonly viewer: { readonly handle: string; readonly displayName: string; readonly role: string } | null;
  readonly csrfToken: string;
}

export function pageContext(c: Context<AppEnv>, deps: Pick<AppDeps, "config">): PageContext {
  const viewer = c.get("viewer");
  return {
    nodeName: deps.config.nodeName,
    viewer: viewer ? { handle: viewer.handle, displayName: viewer.displayName, role: viewer.role } : null,
    csrfToken: c.get("csrfToken"),
  };
}

/** The fediverse address of a local handle, e.g. `@node@city.example`. */
export function fediverseHandle(deps: Pick<AppDeps, "config">, handle: string): string {
  return `@${handle}@${deps.config.publicUrl.host}`;
}
