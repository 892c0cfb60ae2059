import { type Kysely, sql } from "kysely";

// Small facts about the node itself, e.g. the fingerprint of the secret the keys were sealed with.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("node_meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("node_meta").execute();
}
