import type { DbOrTrx } from "../../db/database.ts";
import type { AccountRole, AccountStatus } from "./account.repository.ts";

/** What a member's page, `/api/v1/me` and the `Person` actor show. */
export interface MemberProfile {
  readonly accountId: number;
  readonly actorId: number;
  readonly handle: string;
  readonly displayName: string;
  /** Plain text; the actor's `summary`. */
  readonly bio: string;
  readonly avatar: { readonly id: string; readonly contentType: string } | null;
  readonly role: AccountRole;
  readonly status: AccountStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

function profileQuery(db: DbOrTrx) {
  return db
    .selectFrom("accounts")
    .innerJoin("actors", "actors.id", "accounts.actor_id")
    .leftJoin("media", "media.id", "actors.avatar_media_id")
    .select([
      "accounts.id as account_id",
      "actors.id as actor_id",
      "actors.handle",
      "actors.name",
      "actors.summary",
      "media.id as avatar_id",
      "media.content_type as avatar_content_type",
      "accounts.role",
      "accounts.status",
      "actors.created_at",
      "actors.updated_at",
    ]);
}

type ProfileRow = Awaited<ReturnType<ReturnType<typeof profileQuery>["executeTakeFirstOrThrow"]>>;

function rowToProfile(row: ProfileRow): MemberProfile {
  return {
    accountId: row.account_id,
    actorId: row.actor_id,
    handle: row.handle,
    displayName: row.name,
    bio: row.summary,
    avatar: row.avatar_id !== null && row.avatar_content_type !== null ? { id: row.avatar_id, contentType: row.avatar_content_type } : null,
    role: row.role,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findMemberProfileByHandle(db: DbOrTrx, handle: string): Promise<MemberProfile | undefined> {
  const row = await profileQuery(db).where("actors.handle", "=", handle.trim().toLowerCase()).executeTakeFirst();
  return row && rowToProfile(row);
}

export async function findMemberProfileByAccountId(db: DbOrTrx, accountId: number): Promise<MemberProfile | undefined> {
  const row = await profileQuery(db).where("accounts.id", "=", accountId).executeTakeFirst();
  return row && rowToProfile(row);
}

export async function listMemberProfilesByStatus(db: DbOrTrx, status: AccountStatus): Promise<MemberProfile[]> {
  const rows = await profileQuery(db).where("accounts.status", "=", status).orderBy("accounts.id").execute();
  return rows.map(rowToProfile);
}
