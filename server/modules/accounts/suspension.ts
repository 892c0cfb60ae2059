import { getLogger } from "@logtape/logtape";
import type { Db } from "../../db/database.ts";
import { findAccountById, updateAccount } from "./account.repository.ts";
import { deleteSessionsOfAccount, revokeApiTokensOfAccount } from "./credential.repository.ts";

const logger = getLogger(["commonsnet", "accounts"]);

export type SuspensionResult = "suspended" | "already_suspended" | "not_found" | "self";
export type ReinstatementResult = "reinstated" | "not_suspended" | "not_found";

/**
 * An admin suspends an account. Its sessions and API tokens are deleted in the same transaction as
 * the status change: a suspension that only hid them would hand them back, still valid, the day the
 * account is reinstated (possibly to whoever had stolen them). An admin cannot suspend themselves,
 * so a node cannot lose its last admin by a slip.
 */
export async function suspendAccount(db: Db, accountId: number, by: { id: number; handle: string }): Promise<SuspensionResult> {
  if (accountId === by.id) return "self";
  return await db.transaction().execute(async (trx) => {
    const account = await findAccountById(trx, accountId);
    if (account === undefined) return "not_found";
    if (account.status === "disabled") return "already_suspended";
    await updateAccount(trx, accountId, { status: "disabled" });
    const sessions = await deleteSessionsOfAccount(trx, accountId);
    const tokens = await revokeApiTokensOfAccount(trx, accountId);
    logger.info("Account {handle} suspended by {admin} ({sessions} sessions ended, {tokens} tokens revoked)", {
      handle: account.handle,
      admin: by.handle,
      sessions,
      tokens,
    });
    return "suspended";
  });
}

/** Lifts a suspension. The member signs in again with their password; no old credential returns. */
export async function reinstateAccount(db: Db, accountId: number, by: { handle: string }): Promise<ReinstatementResult> {
  const account = await findAccountById(db, accountId);
  if (account === undefined) return "not_found";
  if (account.status !== "disabled") return "not_suspended";
  await updateAccount(db, accountId, { status: "active" });
  logger.info("Account {handle} reinstated by {admin}", { handle: account.handle, admin: by.handle });
  return "reinstated";
}
