import type { DbOrTrx } from "../../db/database.ts";

export type AccountRole = "member" | "admin";
export type AccountStatus = "active" | "pending" | "disabled";

/** A member's account joined with their person actor. */
export interface Account {
  readonly id: number;
  readonly actorId: number;
  readonly handle: string;
  readonly displayName: string;
  readonly role: AccountRole;
  readonly status: AccountStatus;
  readonly passwordHash: string;
  readonly createdAt: Date;
}

function accountQuery(db: DbOrTrx) {
  return db
    .selectFrom("accounts")
    .innerJoin("actors", "actors.id", "accounts.actor_id")
    .select([
      "accounts.id",
      "accounts.actor_id",
      "actors.handle",
      "actors.name",
      "accounts.role",
      "accounts.status",
      "accounts.password_hash",
      "accounts.created_at",
    ]);
}

type AccountRow = Awaited<ReturnType<ReturnType<typeof accountQuery>["executeTakeFirstOrThrow"]>>;

function rowToAccount(row: AccountRow): Account {
  return {
    id: row.id,
    actorId: row.actor_id,
    handle: row.handle,
    displayName: row.name,
    role: row.role,
    status: row.status,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

export async function findAccountByHandle(db: DbOrTrx, handle: string): Promise<Account | undefined> {
  const row = await accountQuery(db).where("actors.handle", "=", handle.trim().toLowerCase()).executeTakeFirst();
  return row && rowToAccount(row);
}

export async function findAccountById(db: DbOrTrx, id: number): Promise<Account | undefined> {
  const row = await accountQuery(db).where("accounts.id", "=", id).executeTakeFirst();
  return row && rowToAccount(row);
}

export async function insertAccount(
  db: DbOrTrx,
  account: { actorId: number; passwordHash: string; role: AccountRole; status: AccountStatus },
): Promise<number> {
  const row = await db
    .insertInto("accounts")
    .values({ actor_id: account.actorId, password_hash: account.passwordHash, role: account.role, status: account.status })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAccount(
  db: DbOrTrx,
  id: number,
  changes: { status?: AccountStatus; role?: AccountRole; passwordHash?: string },
): Promise<void> {
  await db
    .updateTable("accounts")
    .set({
      ...(changes.status && { status: changes.status }),
      ...(changes.role && { role: changes.role }),
      ...(changes.passwordHash && { password_hash: changes.passwordHash }),
    })
    .where("id", "=", id)
    .execute();
}

export async function touchAccountActivity(db: DbOrTrx, id: number): Promise<void> {
  await db.updateTable("accounts").set({ last_active_at: new Date() }).where("id", "=", id).execute();
}
