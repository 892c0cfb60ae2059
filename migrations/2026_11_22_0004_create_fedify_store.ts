import { type Kysely, sql } from "kysely";

// Fedify's key-value store and message queue (server/queue/). Our own tables, not @fedify/postgres:
// that one deletes a message before handling it and loses it on a crash (docs/stack.md#fedify).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("fedify_kv")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz")
    .execute();
  await sql`CREATE INDEX fedify_kv_expires ON fedify_kv (expires_at) WHERE expires_at IS NOT NULL`.execute(db);

  await db.schema
    .createTable("fedify_queue")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("queue", "text", (c) => c.notNull())
    .addColumn("message", "jsonb", (c) => c.notNull())
    .addColumn("ordering_key", "text")
    .addColumn("run_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "timestamptz")
    .addColumn("locked_by", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("fedify_queue_ready").on("fedify_queue").columns(["queue", "run_at", "id"]).execute();
  await sql`CREATE INDEX fedify_queue_ordering ON fedify_queue (queue, ordering_key, id) WHERE ordering_key IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("fedify_queue").execute();
  await db.schema.dropTable("fedify_kv").execute();
}
