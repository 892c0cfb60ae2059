import { getLogger } from "@logtape/logtape";
import { DUMMY_HASH_PROMISE, hashPassword, needsRehash, verifyPassword } from "./password.ts";
import type { Db } from "../../db/database.ts";
import { type Account, findAccountByHandle, touchAccountActivity, updateAccount } from "./account.repository.ts";
import type { LoginInput } from "./account.schemas.ts";
import { clearRateLimit, forgiveRateLimitHit, hitRateLimit } from "./rate-limit.repository.ts";

const logger = getLogger(["commonsnet", "accounts"]);

/**
 * Online guessing limits (docs/security.md#web, WEB-06): per account, so rotating addresses does not help
 * (Mastodon CVE-2025-54879), and per client address, so one client cannot sweep many accounts. Every
 * attempt counts before the password is checked, so parallel guesses cannot slip under the limit;
 * a successful sign-in takes its hit back.
 */
export const LOGIN_LIMITS = { windowSeconds: 15 * 60, perAccount: 5, perAddress: 20 } as const;

export const INVALID_CREDENTIALS_MESSAGE = "The username or password is not right.";

export type LoginResult =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly reason: "invalid" }
  | { readonly ok: false; readonly reason: "pending" | "disabled"; readonly message: string }
  | { readonly ok: false; readonly reason: "rate_limited"; readonly retryAfterSeconds: number; readonly message: string };

/** The username as the limit key sees it: `@Alice` and `alice` are one account. */
export function normaliseLoginName(username: string): string {
  return username.trim().replace(/^@/, "").toLowerCase();
}

/**
 * Checks a member's password. Unknown users are verified against a dummy hash, so the answer and its
 * timing are the same as for a wrong password. Only active accounts sign in; a pending or disabled
 * account learns its state only with the right password.
 */
export async function authenticate(db: Db, input: Pick<LoginInput, "username" | "password">, clientAddress: string): Promise<LoginResult> {
  const name = normaliseLoginName(input.username);
  const accountKey = `login:account:${name}`;
  const addressKey = `login:address:${clientAddress}`;
  const [byAccount, byAddress] = await Promise.all([
    hitRateLimit(db, accountKey, LOGIN_LIMITS.windowSeconds),
    hitRateLimit(db, addressKey, LOGIN_LIMITS.windowSeconds),
  ]);
  const limited = [
    byAccount.hits > LOGIN_LIMITS.perAccount ? byAccount.resetAt : undefined,
    byAddress.hits > LOGIN_LIMITS.perAddress ? byAddress.resetAt : undefined,
  ].filter((d) => d !== undefined);
  if (limited.length > 0) {
    const resetAt = Math.max(...limited.map((d) => d.getTime()));
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
    logger.warn("Sign-in attempts for {name} from {address} throttled for {seconds} s", { name, address: clientAddress, seconds: retryAfterSeconds });
    return { ok: false, reason: "rate_limited", retryAfterSeconds, message: `Too many sign-in attempts. Try again in ${describeWait(retryAfterSeconds)}.` };
  }

  const account = await findAccountByHandle(db, name);
  const valid = await verifyPassword(input.password, account?.passwordHash ?? (await DUMMY_HASH_PROMISE));
  if (account === undefined || !valid) return { ok: false, reason: "invalid" };

  await Promise.all([clearRateLimit(db, accountKey), forgiveRateLimitHit(db, addressKey)]);
  if (account.status === "pending") {
    return { ok: false, reason: "pending", message: "Your account is waiting for an admin of this node to approve it." };
  }
  if (account.status === "disabled") return { ok: false, reason: "disabled", message: "This account is disabled." };
  if (needsRehash(account.passwordHash)) await updateAccount(db, account.id, { passwordHash: await hashPassword(input.password) });
  await touchAccountActivity(db, account.id);
  return { ok: true, account };
}

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
