import { type Kysely, sql } from "kysely";

// The transactional outbox: activities written in the same transaction as the change that caused them,
// relayed to Fedify's queue afterwards (server/modules/outbox, federation/outbox-relay.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("outbox")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("sender", "text", (c) => c.notNull())
    .addColumn("recipients", "jsonb", (c) => c.notNull())
    .addColumn("activity", "jsonb", (c) => c.notNull())
    .addColumn("ordering_key", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("relayed_at", "timestamptz")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE relayed_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outbox").execute();
}
