import { type Kysely, sql } from "kysely";

// Members' sign-in: an account belongs to a `person` actor. Sessions and API tokens are stored as
// SHA-256 hashes of random secrets, so a database dump cannot be replayed as a login.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("accounts")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("actor_id", "bigint", (c) => c.notNull().unique().references("actors.id").onDelete("cascade"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().defaultTo("member").check(sql`role IN ('member', 'admin')`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('active', 'pending', 'disabled')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_active_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("invites")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("code_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "bigint", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("used_by", "bigint", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("used_at", "timestamptz")
    .addColumn("expires_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("account_id", "bigint", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_account").on("sessions").column("account_id").execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("account_id", "bigint", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();

  // Login throttling shared by every web process (per account and per client address).
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "timestamptz", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["rate_limits", "api_tokens", "sessions", "invites", "accounts"]) await db.schema.dropTable(table).execute();
}
