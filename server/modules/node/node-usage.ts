import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";

export interface NodeUsage {
  readonly users: number;
  readonly activeMonth: number;
  readonly activeHalfyear: number;
  readonly localPosts: number;
}

/**
 * Usage counts for NodeInfo: active accounts, and those seen (signed in or using the API) within
 * 30 and 180 days, as Mastodon reports them.
 */
export async function nodeUsage(db: DbOrTrx): Promise<NodeUsage> {
  const row = await db
    .selectFrom("accounts")
    .select([
      (eb) => eb.fn.countAll<number>().as("users"),
      sql<number>`count(*) FILTER (WHERE last_active_at > now() - interval '30 days')`.as("activeMonth"),
      sql<number>`count(*) FILTER (WHERE last_active_at > now() - interval '180 days')`.as("activeHalfyear"),
    ])
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return { users: row.users, activeMonth: row.activeMonth, activeHalfyear: row.activeHalfyear, localPosts: 0 };
}
