import { type Kysely, sql } from "kysely";

// The node's charter (versioned rules as data), its peers (other nodes it federates the directory
// with), and the directory: local listings and those received from peers, with their origin.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("charter_versions")
    .addColumn("version", "integer", (c) => c.primaryKey())
    .addColumn("document", "jsonb", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "bigint", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("peers")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("host", "text", (c) => c.notNull().unique())
    .addColumn("actor_iri", "text", (c) => c.notNull().unique())
    .addColumn("inbox", "text", (c) => c.notNull())
    .addColumn("shared_inbox", "text")
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    // Each direction of the mutual follow: none, pending (asked, not answered) or accepted.
    .addColumn("we_follow", "text", (c) => c.notNull().defaultTo("none").check(sql`we_follow IN ('none', 'pending', 'accepted')`))
    .addColumn("they_follow", "text", (c) => c.notNull().defaultTo("none").check(sql`they_follow IN ('none', 'pending', 'accepted')`))
    .addColumn("our_follow_iri", "text")
    .addColumn("their_follow_iri", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // array_to_string is only STABLE; a generated column needs IMMUTABLE (true for text[] here).
  await sql`CREATE FUNCTION cn_tags_text(tags text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(tags, ' ') $$`.execute(db);
  await db.schema
    .createTable("directory_entries")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("iri", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tags", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("location_name", "text")
    .addColumn("latitude", "float8")
    .addColumn("longitude", "float8")
    .addColumn("locality", "text")
    .addColumn("region", "text")
    .addColumn("country", "text")
    .addColumn("bioregion", "text")
    .addColumn("url", "text", (c) => c.notNull())
    // The node actor that published the entry, and its host; never taken from a forwarder's word.
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("origin_host", "text", (c) => c.notNull())
    .addColumn("local_actor_id", "bigint", (c) => c.references("actors.id").onDelete("cascade"))
    .addColumn("received_from_peer_id", "bigint", (c) => c.references("peers.id").onDelete("cascade"))
    .addColumn("hops", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_hops", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("search", sql`tsvector`, (c) =>
      c.generatedAlwaysAs(
        sql`setweight(to_tsvector('simple', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', cn_tags_text(tags)), 'B') || setweight(to_tsvector('simple', coalesce(summary, '')), 'C') || setweight(to_tsvector('simple', coalesce(locality, '') || ' ' || coalesce(region, '') || ' ' || coalesce(location_name, '')), 'D')`,
      ).stored(),
    )
    .addCheckConstraint("directory_lat_lon", sql`(latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL OR (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180))`)
    .execute();
  await sql`CREATE INDEX directory_entries_search ON directory_entries USING gin (search)`.execute(db);
  await sql`CREATE INDEX directory_entries_name_trgm ON directory_entries USING gin (name gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX directory_entries_tags ON directory_entries USING gin (tags)`.execute(db);
  await sql`CREATE INDEX directory_entries_earth ON directory_entries USING gist (ll_to_earth(latitude, longitude)) WHERE latitude IS NOT NULL`.execute(db);
  await sql`CREATE INDEX directory_entries_origin ON directory_entries (origin_host, updated_at DESC)`.execute(db);

  await db.schema
    .alterTable("projects")
    .addColumn("directory_listed", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("locality", "text")
    .addColumn("region", "text")
    .addColumn("country", "text")
    .addColumn("bioregion", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("projects").dropColumn("directory_listed").dropColumn("locality").dropColumn("region").dropColumn("country").dropColumn("bioregion").execute();
  await db.schema.dropTable("directory_entries").execute();
  await sql`DROP FUNCTION cn_tags_text(text[])`.execute(db);
  await db.schema.dropTable("peers").execute();
  await db.schema.dropTable("charter_versions").execute();
}
