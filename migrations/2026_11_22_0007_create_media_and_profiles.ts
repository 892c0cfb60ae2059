import { type Kysely, sql } from "kysely";

// Uploaded images after the sharp pipeline (re-encoded WebP, metadata stripped), and the profile
// fields every local actor has: avatar and banner.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("media")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose IN ('avatar', 'banner', 'attachment')`))
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("bytes", "integer", (c) => c.notNull())
    .addColumn("blurhash", "text", (c) => c.notNull())
    .addColumn("alt", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("focal_x", "float8", (c) => c.notNull().defaultTo(0))
    .addColumn("focal_y", "float8", (c) => c.notNull().defaultTo(0))
    .addColumn("data", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("media_owner").on("media").column("owner_actor_id").execute();

  await db.schema
    .alterTable("actors")
    .addColumn("avatar_media_id", "text", (c) => c.references("media.id").onDelete("set null"))
    .addColumn("banner_media_id", "text", (c) => c.references("media.id").onDelete("set null"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("actors").dropColumn("avatar_media_id").dropColumn("banner_media_id").execute();
  await db.schema.dropTable("media").execute();
}
