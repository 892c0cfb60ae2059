import type { Context, MiddlewareHandler } from "hono";
import { forbidden, unauthorized } from "../platform/errors.ts";
import type { Account, AccountsService, Credential } from "../modules/accounts/index.ts";
import { readSessionCookie } from "./session-cookie.ts";

/** The signed-in member making a request, if any. */
export interface Viewer extends Omit<Account, "passwordHash"> {
  readonly via: Credential["via"];
}

/** Hono variables every route can read. */
export interface AppEnv {
  Variables: { viewer: Viewer | null };
}

/**
 * Resolves the viewer from `Authorization: Bearer <token>` (API tokens) or the session cookie.
 * Only active accounts are signed in: a pending or disabled account's credentials count as none.
 */
export function identifyViewer(accounts: ViewerLookup, publicUrl: URL): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("viewer", await resolveViewer(accounts, c, publicUrl));
    await next();
  };
}

/** What identifying a viewer needs of the accounts service. */
export type ViewerLookup = Pick<AccountsService, "apiTokenCredential" | "sessionCredential" | "activeAccount">;

async function resolveViewer(accounts: ViewerLookup, c: Context<AppEnv>, publicUrl: URL): Promise<Viewer | null> {
  const authorization = c.req.header("authorization");
  let credential: Credential | undefined;
  // Other schemes (e.g. `Signature` from servers that sign GETs there) are not ours to judge.
  if (authorization !== undefined && /^Bearer\b/i.test(authorization)) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthorized("The Authorization header must be 'Bearer <token>'.");
    credential = await accounts.apiTokenCredential(match[1]!);
    if (credential === undefined) throw unauthorized("This API token is not valid or was revoked.");
  } else {
    const session = readSessionCookie(c, publicUrl);
    if (session) credential = await accounts.sessionCredential(session);
  }
  if (credential === undefined) return null;
  const account = await accounts.activeAccount(credential.accountId);
  if (account === undefined) return null;
  const { passwordHash: _, ...rest } = account;
  return { ...rest, via: credential.via };
}

// Only `get` is needed; taking the whole Context would refuse routes whose env has more variables.
export function requireViewer(c: Pick<Context<AppEnv>, "get">): Viewer {
  const viewer = c.get("viewer");
  if (!viewer) throw unauthorized();
  return viewer;
}

export function requireAdmin(c: Pick<Context<AppEnv>, "get">): Viewer {
  const viewer = requireViewer(c);
  if (viewer.role !== "admin") throw forbidden("Only the node's admins may do this.");
  return viewer;
}
