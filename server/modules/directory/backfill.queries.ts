import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";
import { type DirectoryEntry, ENTRY_COLUMNS, rowToEntry, textArray } from "./directory-entry.ts";

/**
 * What a new peer backfills from our node actor's directory collection: our own entries, and those
 * we received and may forward (hops within the origin's consent and our hop limit, the rule of
 * peers/hop-rule.ts `mayForward` written in SQL). Keyset-paged by row id, oldest first; served as the
 * node actor's directory collection (federation/directory-collection.ts). Design listings whose
 * licence the charter does not list (`licences`, empty = any) are left out (licence-rule.ts in SQL).
 */
function backfillQuery(db: DbOrTrx, hopLimit: number, licences: readonly string[]) {
  const query = db
    .selectFrom("directory_entries")
    .where((eb) =>
      eb.or([
        eb("local_actor_id", "is not", null),
        eb.and([eb("hops", ">=", 1), eb("hops", "<=", sql<number>`least(max_hops, ${hopLimit}::int)`)]),
      ]),
    );
  if (licences.length === 0) return query;
  const accepted = textArray(licences.map((id) => id.toLowerCase()));
  return query.where(sql<boolean>`(kind <> 'design' OR lower(licence) = ANY(${accepted}))`);
}

export async function listBackfillEntries(db: DbOrTrx, hopLimit: number, options: { readonly afterId: number; readonly limit: number }, licences: readonly string[] = []): Promise<DirectoryEntry[]> {
  const rows = await backfillQuery(db, hopLimit, licences).select(ENTRY_COLUMNS).where("id", ">", options.afterId).orderBy("id").limit(options.limit).execute();
  return rows.map(rowToEntry);
}

export async function countBackfillEntries(db: DbOrTrx, hopLimit: number, licences: readonly string[] = []): Promise<number> {
  const row = await backfillQuery(db, hopLimit, licences).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}
