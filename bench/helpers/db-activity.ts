import { sql } from "kysely";
import type { Db } from "../../server/db/database.ts";

/**
 * Statement counts from PostgreSQL's cumulative statistics (pg_stat_database, pg_stat_user_tables):
 * how many transactions and row operations a round cost, per table. Exact on PGlite (one backend,
 * flushed on demand); on a PostgreSQL server other backends flush their counters up to a few seconds
 * late, so the bench reads them only on PGlite.
 */
export interface DbActivity {
  readonly transactions: number;
  readonly tables: Record<string, { readonly inserted: number; readonly updated: number; readonly deleted: number; readonly scans: number }>;
}

export async function readDbActivity(db: Db): Promise<DbActivity> {
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
  const { rows: [database] } = await sql<{ xact_commit: number }>`
    SELECT xact_commit::float8 AS xact_commit FROM pg_stat_database WHERE datname = current_database()`.execute(db);
  const { rows } = await sql<{ relname: string; ins: number; upd: number; del: number; scans: number }>`
    SELECT relname, n_tup_ins::float8 AS ins, n_tup_upd::float8 AS upd, n_tup_del::float8 AS del,
           (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::float8 AS scans
      FROM pg_stat_user_tables`.execute(db);
  return {
    transactions: Number(database?.xact_commit ?? 0),
    tables: Object.fromEntries(rows.map((r) => [r.relname, { inserted: r.ins, updated: r.upd, deleted: r.del, scans: r.scans }])),
  };
}

/** What happened between two readings, tables with no activity left out. */
export function diffDbActivity(before: DbActivity, after: DbActivity): DbActivity {
  const tables: Record<string, DbActivity["tables"][string]> = {};
  for (const [name, now] of Object.entries(after.tables)) {
    const was = before.tables[name] ?? { inserted: 0, updated: 0, deleted: 0, scans: 0 };
    const delta = { inserted: now.inserted - was.inserted, updated: now.updated - was.updated, deleted: now.deleted - was.deleted, scans: now.scans - was.scans };
    if (delta.inserted + delta.updated + delta.deleted + delta.scans > 0) tables[name] = delta;
  }
  return { transactions: after.transactions - before.transactions, tables };
}
