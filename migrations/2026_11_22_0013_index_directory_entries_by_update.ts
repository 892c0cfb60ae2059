import { type Kysely, sql } from "kysely";

// The directory without a search (its first page, a node's newest listings) is ordered newest first,
// then by name and id: this index serves that order (ties are rare) instead of sorting every entry.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX directory_entries_updated ON directory_entries (updated_at DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX directory_entries_updated`.execute(db);
}
