import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";

export interface NodeUsage {
  readonly users: number;
  readonly activeMonth: number;
  readonly activeHalfyear: number;
  readonly localPosts: number;
}

/**
 * Usage counts for NodeInfo. A member counts as active when their profile changed in the window;
 * later issues that record sign-ins and posts refine both.
 */
export async function nodeUsage(db: DbOrTrx): Promise<NodeUsage> {
  const row = await db
    .selectFrom("actors")
    .select([
      (eb) => eb.fn.countAll<number>().as("users"),
      sql<number>`count(*) FILTER (WHERE updated_at > now() - interval '30 days')`.as("activeMonth"),
      sql<number>`count(*) FILTER (WHERE updated_at > now() - interval '180 days')`.as("activeHalfyear"),
    ])
    .where("kind", "=", "person")
    .executeTakeFirstOrThrow();
  return { users: row.users, activeMonth: row.activeMonth, activeHalfyear: row.activeHalfyear, localPosts: 0 };
}
