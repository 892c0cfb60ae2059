import { type Kysely, sql } from "kysely";

// Shared designs (docs/designs.md): a design is a `Service` actor in the shared handle namespace, with
// maintainers and immutable releases whose files are stored by SHA-256 outside the database (the
// storage root); forks of our designs made on other nodes, and "made here" reports of builds.
// Owned by server/modules/designs (designs, design_maintainers, design_releases, release_files),
// server/modules/design-forks (design_forks) and server/modules/made-reports (made_reports).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE actors DROP CONSTRAINT actors_kind_check`.execute(db);
  await sql`ALTER TABLE actors ADD CONSTRAINT actors_kind_check CHECK (kind IN ('node', 'person', 'group', 'service'))`.execute(db);

  await db.schema
    .createTable("designs")
    .addColumn("actor_id", "bigint", (c) => c.primaryKey().references("actors.id").onDelete("cascade"))
    .addColumn("summary_markdown", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("function", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tags", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("documentation_licence", "text")
    .addColumn("licensor", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("project_actor_id", "bigint", (c) => c.references("actors.id").onDelete("set null"))
    // The release this design was forked from (an IRI, here or on another node), and the whole chain
    // back to the original, oldest first: [{ release, design, name, host, licence }].
    .addColumn("fork_of", "text")
    .addColumn("fork_chain", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("created_by", "bigint", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("directory_listed", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX designs_tags ON designs USING gin (tags)`.execute(db);
  await db.schema.createIndex("designs_licence").on("designs").column("licence").execute();

  await db.schema
    .createTable("design_maintainers")
    .addColumn("design_actor_id", "bigint", (c) => c.notNull().references("designs.actor_id").onDelete("cascade"))
    .addColumn("member_actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("design_maintainers_pkey", ["design_actor_id", "member_actor_id"])
    .execute();

  await db.schema
    .createTable("design_releases")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("design_actor_id", "bigint", (c) => c.notNull().references("designs.actor_id").onDelete("cascade"))
    .addColumn("version", "text", (c) => c.notNull())
    // A key that sorts versions SemVer-like as text (numeric parts zero-padded, pre-releases first).
    .addColumn("version_order", "text", (c) => c.notNull())
    .addColumn("notes_markdown", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("trl", "text")
    .addColumn("drl", "text")
    .addColumn("bom", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Licences as published: a release never changes, even when the design's licence does later.
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("documentation_licence", "text")
    .addColumn("fork_of", "text")
    .addColumn("total_bytes", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("published_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("design_releases_version_once", ["design_actor_id", "version"])
    .execute();
  await db.schema.createIndex("design_releases_order").on("design_releases").columns(["design_actor_id", "version_order"]).execute();

  await db.schema
    .createTable("release_files")
    .addColumn("release_id", "text", (c) => c.notNull().references("design_releases.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("media_type", "text", (c) => c.notNull())
    // The OKH file role (source, export, bom, manual, image, other).
    .addColumn("role", "text")
    .addColumn("preview_sha256", "text")
    .addColumn("preview_width", "integer")
    .addColumn("preview_height", "integer")
    .addPrimaryKeyConstraint("release_files_pkey", ["release_id", "name"])
    .execute();
  await db.schema.createIndex("release_files_sha256").on("release_files").column("sha256").execute();

  await db.schema
    .createTable("design_forks")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    // Our design that was forked, directly (depth 1) or further down the chain.
    .addColumn("design_actor_id", "bigint", (c) => c.notNull().references("designs.actor_id").onDelete("cascade"))
    .addColumn("depth", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("source_release_iri", "text", (c) => c.notNull())
    .addColumn("parent_design_iri", "text", (c) => c.notNull())
    .addColumn("fork_design_iri", "text", (c) => c.notNull())
    .addColumn("fork_url", "text")
    .addColumn("fork_name", "text", (c) => c.notNull())
    .addColumn("fork_release_iri", "text")
    .addColumn("licence", "text", (c) => c.notNull())
    .addColumn("node_host", "text", (c) => c.notNull())
    .addColumn("city", "text")
    .addColumn("activity_iri", "text", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("design_forks_once", ["design_actor_id", "fork_design_iri"])
    .execute();

  await db.schema
    .createTable("made_reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("iri", "text", (c) => c.notNull().unique())
    .addColumn("release_iri", "text", (c) => c.notNull())
    // The local design this report concerns: the release's own design, or one it was forked from.
    .addColumn("design_actor_id", "bigint", (c) => c.references("designs.actor_id").onDelete("cascade"))
    .addColumn("local_release_id", "text", (c) => c.references("design_releases.id").onDelete("cascade"))
    .addColumn("reporter_iri", "text", (c) => c.notNull())
    .addColumn("reporter_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("latitude", "double precision", (c) => c.notNull())
    .addColumn("longitude", "double precision", (c) => c.notNull())
    .addColumn("facility", "text")
    .addColumn("directory_entry_iri", "text")
    .addColumn("made_at", "timestamptz", (c) => c.notNull())
    .addColumn("notes_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("deviations", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("photos", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("chain", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("origin_host", "text", (c) => c.notNull())
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("made_reports_release").on("made_reports").column("release_iri").execute();
  await db.schema.createIndex("made_reports_design").on("made_reports").column("design_actor_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["made_reports", "design_forks", "release_files", "design_releases", "design_maintainers", "designs"]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`ALTER TABLE actors DROP CONSTRAINT actors_kind_check`.execute(db);
  await sql`ALTER TABLE actors ADD CONSTRAINT actors_kind_check CHECK (kind IN ('node', 'person', 'group'))`.execute(db);
}
