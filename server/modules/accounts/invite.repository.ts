import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";
import { generateToken, hashToken } from "./secret-token.ts";

export interface CreatedInvite {
  /** Shown once to the admin who made it; only its hash is stored. */
  readonly code: string;
  readonly expiresAt: Date;
}

export async function createInvite(db: DbOrTrx, createdBy: number, expiresInDays: number): Promise<CreatedInvite> {
  const code = generateToken("inv_");
  const row = await db
    .insertInto("invites")
    .values({
      code_hash: hashToken(code),
      created_by: createdBy,
      expires_at: sql<Date>`now() + make_interval(days => ${expiresInDays}::int)`,
    })
    .returning("expires_at")
    .executeTakeFirstOrThrow();
  return { code, expiresAt: row.expires_at! };
}

/**
 * Marks an unused, unexpired invite as used by `accountId`, in one statement so two registrations
 * racing with the same code cannot both succeed. False when the code is unknown, used or expired.
 */
export async function consumeInvite(db: DbOrTrx, code: string, accountId: number): Promise<boolean> {
  const result = await db
    .updateTable("invites")
    .set({ used_by: accountId, used_at: sql<Date>`now()` })
    .where("code_hash", "=", hashToken(code))
    .where("used_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", sql<Date>`now()`)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
