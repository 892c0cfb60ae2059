import type { Kysely } from "kysely";

// A made-here report keeps the name of the design built and the version as the report named them, so
// the Note about it (and the report served again later) reads the same on every node of the chain,
// even on one that never stored the release itself. Owned by server/modules/made-reports.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("made_reports")
    .addColumn("design_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("release_version", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("made_reports").dropColumn("design_name").dropColumn("release_version").execute();
}
