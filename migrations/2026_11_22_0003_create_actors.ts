import { type Kysely, sql } from "kysely";

// Every local actor (the node, members, projects) shares one handle namespace and one URL template.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("actors")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("handle", "text", (c) => c.notNull().check(sql`handle = lower(handle)`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('node', 'person', 'group')`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("actors_handle_key").on("actors").column("handle").unique().execute();
  // At most one node actor per database.
  await sql`CREATE UNIQUE INDEX actors_single_node ON actors (kind) WHERE kind = 'node'`.execute(db);

  await db.schema
    .createTable("actor_keys")
    .addColumn("actor_id", "bigint", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("algorithm", "text", (c) => c.notNull().check(sql`algorithm IN ('RSASSA-PKCS1-v1_5', 'Ed25519')`))
    .addColumn("public_jwk", "jsonb", (c) => c.notNull())
    .addColumn("private_jwk_sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("actor_keys_pkey", ["actor_id", "algorithm"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("actor_keys").execute();
  await db.schema.dropTable("actors").execute();
}
