import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  readonly hits: number;
  /** When the current window ends. */
  readonly resetAt: Date;
}

/**
 * Counts one hit on `key` in a fixed window of `windowSeconds`, atomically (one upsert), so every
 * web process sharing the database sees the same count. A window that has ended starts over.
 */
export async function hitRateLimit(db: DbOrTrx, key: string, windowSeconds: number): Promise<RateLimitHit> {
  const expired = sql<boolean>`rate_limits.window_start <= now() - make_interval(secs => ${windowSeconds}::float8)`;
  const { rows } = await sql<{ hits: number; reset_at: Date }>`
    INSERT INTO rate_limits (key, window_start, hits) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN ${expired} THEN 1 ELSE rate_limits.hits + 1 END,
      window_start = CASE WHEN ${expired} THEN now() ELSE rate_limits.window_start END
    RETURNING hits, window_start + make_interval(secs => ${windowSeconds}::float8) AS reset_at`.execute(db);
  const row = rows[0]!;
  return { hits: Number(row.hits), resetAt: new Date(row.reset_at) };
}

/** Takes back one hit (a request that turned out fine should not count against the limit). */
export async function forgiveRateLimitHit(db: DbOrTrx, key: string): Promise<void> {
  await db.updateTable("rate_limits").set({ hits: sql<number>`greatest(hits - 1, 0)` }).where("key", "=", key).execute();
}

export async function clearRateLimit(db: DbOrTrx, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** Drops windows that ended long ago, so the table holds only recent keys. */
export async function pruneRateLimits(db: DbOrTrx, olderThanSeconds: number): Promise<number> {
  const result = await db
    .deleteFrom("rate_limits")
    .where("window_start", "<", sql<Date>`now() - make_interval(secs => ${olderThanSeconds}::float8)`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
