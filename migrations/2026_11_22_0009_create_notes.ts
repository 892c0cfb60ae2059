import { type Kysely, sql } from "kysely";

// Notes authored here: a project's updates (top level) and members' replies to remote posts.
// Ids are UUIDv7 strings so URLs are not enumerable; the IRI is derived from the id and never reused
// (a deleted note keeps its row as a tombstone, answered with 410).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("author_actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("content_source", "text", (c) => c.notNull())
    .addColumn("content_html", "text", (c) => c.notNull())
    .addColumn("in_reply_to_iri", "text")
    .addColumn("published_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("edited_at", "timestamptz")
    .addColumn("deleted_at", "timestamptz")
    .addColumn("pinned_at", "timestamptz")
    .execute();
  await sql`CREATE INDEX notes_author_published ON notes (author_actor_id, published_at DESC) WHERE deleted_at IS NULL`.execute(db);
  // One pinned update per project (Mastodon shows the `featured` collection as pinned posts).
  await sql`CREATE UNIQUE INDEX notes_one_pin ON notes (author_actor_id) WHERE pinned_at IS NOT NULL AND deleted_at IS NULL`.execute(db);

  await db.schema
    .createTable("note_media")
    .addColumn("note_id", "text", (c) => c.notNull().references("notes.id").onDelete("cascade"))
    .addColumn("media_id", "text", (c) => c.notNull().references("media.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull().check(sql`position BETWEEN 0 AND 3`))
    .addPrimaryKeyConstraint("note_media_pkey", ["note_id", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("note_media").execute();
  await db.schema.dropTable("notes").execute();
}
