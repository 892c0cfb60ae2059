import { type Kysely, sql } from "kysely";

// A project is a `group` actor with project fields; its maintainers are members (person actors).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("projects")
    .addColumn("actor_id", "bigint", (c) => c.primaryKey().references("actors.id").onDelete("cascade"))
    .addColumn("summary_markdown", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tags", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("location_name", "text")
    .addColumn("latitude", "float8")
    .addColumn("longitude", "float8")
    .addColumn("website", "text")
    .addColumn("created_by", "bigint", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("archived_at", "timestamptz")
    .addCheckConstraint("projects_lat_range", sql`latitude IS NULL OR latitude BETWEEN -90 AND 90`)
    .addCheckConstraint("projects_lon_range", sql`longitude IS NULL OR longitude BETWEEN -180 AND 180`)
    .addCheckConstraint("projects_lat_lon_pair", sql`(latitude IS NULL) = (longitude IS NULL)`)
    .execute();
  await sql`CREATE INDEX projects_tags ON projects USING gin (tags)`.execute(db);

  await db.schema
    .createTable("project_maintainers")
    .addColumn("project_actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("member_actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("project_maintainers_pkey", ["project_actor_id", "member_actor_id"])
    .execute();
  await db.schema.createIndex("project_maintainers_member").on("project_maintainers").column("member_actor_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("project_maintainers").execute();
  await db.schema.dropTable("projects").execute();
}
