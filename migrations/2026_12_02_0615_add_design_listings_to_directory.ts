import { type Kysely, sql } from "kysely";

// Designs in the directory (docs/designs.md#directory): a design's listing carries its licence (an SPDX
// id, filtered by `licence=`), its latest released version, how many builds were reported, and where
// ([latitude, longitude] pairs, at most 500, for `made_near=`). Other kinds leave them empty.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("directory_entries")
    .addColumn("licence", "text")
    .addColumn("latest_version", "text")
    .addColumn("made_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("made_points", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await sql`ALTER TABLE directory_entries ADD CONSTRAINT directory_made_count CHECK (made_count >= 0)`.execute(db);
  await sql`ALTER TABLE directory_entries ADD CONSTRAINT directory_made_points CHECK (jsonb_typeof(made_points) = 'array' AND jsonb_array_length(made_points) <= 500)`.execute(db);
  // Licences are stored in their canonical SPDX spelling; searches compare lower case.
  await sql`CREATE INDEX directory_entries_licence ON directory_entries (lower(licence)) WHERE licence IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX directory_entries_licence`.execute(db);
  await db.schema
    .alterTable("directory_entries")
    .dropConstraint("directory_made_points")
    .execute();
  await db.schema.alterTable("directory_entries").dropConstraint("directory_made_count").execute();
  await db.schema.alterTable("directory_entries").dropColumn("licence").dropColumn("latest_version").dropColumn("made_count").dropColumn("made_points").execute();
}
