import { getLogger } from "@logtape/logtape";
import type { DbOrTrx } from "../../db/database.ts";
import { hitRateLimit } from "./rate-limit.repository.ts";

const logger = getLogger(["commonsnet", "accounts"]);

/**
 * Sign-up limits (WEB-06 in docs/security.md, applied to registration). Each sign-up costs an Argon2id
 * hash of 19 MiB and creates an actor with fresh keys, so an unthrottled form is a cheap way to
 * exhaust memory and CPU and to flood the node with accounts. Per client address, so one client
 * cannot make many accounts; and for the whole node, so a botnet rotating addresses is held too
 * (a burst of real sign-ups beyond it waits minutes, not hours).
 */
export const REGISTRATION_LIMITS = {
  perAddress: { hits: 10, windowSeconds: 3600 },
  node: { hits: 20, windowSeconds: 600 },
} as const;

export type RegistrationAllowance = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number; readonly message: string };

/** Counts one sign-up attempt before any work is done, so parallel attempts cannot slip under the limit. */
export async function admitRegistration(db: DbOrTrx, clientAddress: string): Promise<RegistrationAllowance> {
  const { perAddress, node } = REGISTRATION_LIMITS;
  const [byAddress, byNode] = await Promise.all([
    hitRateLimit(db, `register:address:${clientAddress}`, perAddress.windowSeconds),
    hitRateLimit(db, "register:node", node.windowSeconds),
  ]);
  const limited = [
    byAddress.hits > perAddress.hits ? byAddress.resetAt : undefined,
    byNode.hits > node.hits ? byNode.resetAt : undefined,
  ].filter((d) => d !== undefined);
  if (limited.length === 0) return { ok: true };
  const resetAt = Math.max(...limited.map((d) => d.getTime()));
  const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const who = byAddress.hits > perAddress.hits ? "from your address" : "on this node";
  logger.warn("Sign-ups from {address} throttled for {seconds} s ({who})", { address: clientAddress, seconds: retryAfterSeconds, who });
  return {
    ok: false,
    retryAfterSeconds,
    message: `Too many sign-ups ${who} just now. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  };
}
