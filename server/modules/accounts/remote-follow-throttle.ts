import type { DbOrTrx } from "../../db/database.ts";
import { hitRateLimit } from "./rate-limit.repository.ts";

/**
 * "Follow from your fediverse account" makes the node look a handle up on the server it names, for
 * any anonymous visitor: without a limit, a visitor turns the node into a connection opener against
 * hosts of their choosing. A person following a few projects needs a handful of lookups.
 */
export const REMOTE_FOLLOW_LIMITS = { windowSeconds: 10 * 60, perAddress: 10 } as const;

export type LookupAllowance = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number; readonly message: string };

/** Counts one remote-follow lookup from `clientAddress`, shared by every web process through the database. */
export async function allowRemoteFollowLookup(db: DbOrTrx, clientAddress: string): Promise<LookupAllowance> {
  const hit = await hitRateLimit(db, `remote-follow:address:${clientAddress}`, REMOTE_FOLLOW_LIMITS.windowSeconds);
  if (hit.hits <= REMOTE_FOLLOW_LIMITS.perAddress) return { ok: true };
  const retryAfterSeconds = Math.max(1, Math.ceil((hit.resetAt.getTime() - Date.now()) / 1000));
  const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return { ok: false, retryAfterSeconds, message: `Too many accounts looked up from your address. Try again in ${wait}.` };
}
