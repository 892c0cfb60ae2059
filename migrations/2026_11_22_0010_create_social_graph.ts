import { type Kysely, sql } from "kysely";

// What federation brings in: cached remote actors, who follows our actors, whom our members follow,
// remote posts (replies to our notes, posts in members' timelines) and likes/boosts of our notes.
// Every remote thing is keyed by its IRI, unique, so a repeated delivery changes nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("remote_actors")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("iri", "text", (c) => c.notNull().unique())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("handle", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("summary_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("url", "text")
    .addColumn("icon_url", "text")
    .addColumn("inbox", "text", (c) => c.notNull())
    .addColumn("shared_inbox", "text")
    .addColumn("followers_url", "text")
    .addColumn("fetched_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deleted_at", "timestamptz")
    .execute();
  await db.schema.createIndex("remote_actors_handle").on("remote_actors").column("handle").execute();

  await db.schema
    .createTable("followers")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("local_actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("remote_actor_id", "bigint", (c) => c.notNull().references("remote_actors.id").onDelete("cascade"))
    .addColumn("follow_iri", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("followers_pair", ["local_actor_id", "remote_actor_id"])
    .execute();

  await db.schema
    .createTable("following")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("local_actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("remote_actor_id", "bigint", (c) => c.notNull().references("remote_actors.id").onDelete("cascade"))
    .addColumn("follow_iri", "text", (c) => c.notNull().unique())
    .addColumn("state", "text", (c) => c.notNull().check(sql`state IN ('pending', 'accepted')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("following_pair", ["local_actor_id", "remote_actor_id"])
    .execute();

  await db.schema
    .createTable("remote_posts")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("iri", "text", (c) => c.notNull().unique())
    .addColumn("author_remote_actor_id", "bigint", (c) => c.notNull().references("remote_actors.id").onDelete("cascade"))
    .addColumn("in_reply_to_iri", "text")
    .addColumn("reply_to_note_id", "text", (c) => c.references("notes.id").onDelete("cascade"))
    .addColumn("url", "text")
    .addColumn("content_html", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("sensitive", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("attachments", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("published_at", "timestamptz", (c) => c.notNull())
    .addColumn("edited_at", "timestamptz")
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deleted_at", "timestamptz")
    .execute();
  await sql`CREATE INDEX remote_posts_reply_to ON remote_posts (reply_to_note_id, published_at) WHERE reply_to_note_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX remote_posts_author ON remote_posts (author_remote_actor_id, published_at DESC)`.execute(db);

  await db.schema
    .createTable("note_interactions")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("activity_iri", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('like', 'announce')`))
    .addColumn("note_id", "text", (c) => c.notNull().references("notes.id").onDelete("cascade"))
    .addColumn("remote_actor_id", "bigint", (c) => c.notNull().references("remote_actors.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("note_interactions_once", ["kind", "note_id", "remote_actor_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["note_interactions", "remote_posts", "following", "followers", "remote_actors"]) {
    await db.schema.dropTable(table).execute();
  }
}
