import { type Kysely, sql } from "kysely";

// pg_trgm (typo-tolerant search), cube + earthdistance (distance search) serve the directory; PGlite
// needs them passed to PGlite.create as well (server/db/open-database.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS cube`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS earthdistance`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP EXTENSION IF EXISTS earthdistance`.execute(db);
  await sql`DROP EXTENSION IF EXISTS cube`.execute(db);
  await sql`DROP EXTENSION IF EXISTS pg_trgm`.execute(db);
}
