import { type Kysely, sql } from "kysely";

// Activity ids a remote actor has undone, kept for as long as a sender may still be retrying the
// undone activity: an Undo can overtake its Follow (or Like, Announce) between retries, and the late
// original must then change nothing. Owned by server/modules/undone-activities.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("undone_activities")
    .addColumn("activity_iri", "text", (c) => c.notNull())
    .addColumn("actor_iri", "text", (c) => c.notNull())
    .addColumn("undone_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("undone_activities_pkey", ["activity_iri", "actor_iri"])
    .execute();
  await db.schema.createIndex("undone_activities_expiry").on("undone_activities").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("undone_activities").execute();
}
