import { type Kysely, sql } from "kysely";

// How deliveries to each remote host fare, for the admins: the last success, failures in a row and
// in all, the last failure's status, whether deliveries are held (the circuit breaker is open), and
// each delivery a host refused for good (400, 403, 404, 410, 422), with the start of its answer.
// Owned by server/modules/delivery-health.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("delivery_hosts")
    .addColumn("host", "text", (c) => c.primaryKey())
    .addColumn("last_success_at", "timestamptz")
    .addColumn("last_failure_at", "timestamptz")
    .addColumn("last_failure_status", "integer")
    .addColumn("last_failure_error", "text")
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("permanent_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("circuit_state", "text", (c) => c.notNull().defaultTo("closed").check(sql`circuit_state IN ('closed', 'open', 'half-open')`))
    .addColumn("circuit_changed_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("delivery_rejections")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("inbox", "text", (c) => c.notNull())
    .addColumn("activity_id", "text")
    .addColumn("activity_type", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull().check(sql`reason IN ('http', 'circuit-breaker-ttl')`))
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("response_excerpt", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("delivery_rejections_host_created").on("delivery_rejections").columns(["host", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("delivery_rejections").execute();
  await db.schema.dropTable("delivery_hosts").execute();
}
