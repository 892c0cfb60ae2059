import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";
import { generateToken, hashToken } from "./secret-token.ts";

/** How a request proved who it is: a browser session (cookie) or an API token (bearer). */
export interface Credential {
  readonly accountId: number;
  readonly via: "session" | "token";
}

export const SESSION_TTL_DAYS = 30;

export async function createSession(db: DbOrTrx, accountId: number): Promise<string> {
  const token = generateToken();
  await db
    .insertInto("sessions")
    .values({
      id_hash: hashToken(token),
      account_id: accountId,
      csrf_token: generateToken(),
      expires_at: sql<Date>`now() + make_interval(days => ${SESSION_TTL_DAYS}::int)`,
    })
    .execute();
  return token;
}

export async function findSession(db: DbOrTrx, token: string): Promise<Credential | undefined> {
  const row = await db
    .selectFrom("sessions")
    .select("account_id")
    .where("id_hash", "=", hashToken(token))
    .where("expires_at", ">", sql<Date>`now()`)
    .executeTakeFirst();
  return row && { accountId: row.account_id, via: "session" };
}

export async function deleteSession(db: DbOrTrx, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", hashToken(token)).execute();
}

export interface ApiTokenInfo {
  readonly id: number;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** Returns the token once; only its hash is kept. */
export async function createApiToken(db: DbOrTrx, accountId: number, name: string): Promise<{ id: number; token: string }> {
  const token = generateToken("cn_");
  const row = await db
    .insertInto("api_tokens")
    .values({ account_id: accountId, token_hash: hashToken(token), name })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

export async function findApiToken(db: DbOrTrx, token: string): Promise<Credential | undefined> {
  const row = await db
    .updateTable("api_tokens")
    .set({ last_used_at: sql<Date>`now()` })
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .returning("account_id")
    .executeTakeFirst();
  return row && { accountId: row.account_id, via: "token" };
}

export async function listApiTokens(db: DbOrTrx, accountId: number): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("account_id", "=", accountId)
    .where("revoked_at", "is", null)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** Revokes one of the account's tokens; false when it is not theirs or already revoked. */
export async function revokeApiToken(db: DbOrTrx, accountId: number, tokenId: number): Promise<boolean> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: sql<Date>`now()` })
    .where("id", "=", tokenId)
    .where("account_id", "=", accountId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends every browser session of the account (suspension: nothing may come back with it). */
export async function deleteSessionsOfAccount(db: DbOrTrx, accountId: number): Promise<number> {
  const result = await db.deleteFrom("sessions").where("account_id", "=", accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Revokes every live API token of the account; revoked tokens never work again. */
export async function revokeApiTokensOfAccount(db: DbOrTrx, accountId: number): Promise<number> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: sql<Date>`now()` })
    .where("account_id", "=", accountId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
