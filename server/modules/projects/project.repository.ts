import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";

/** The project fields beside the actor row (name and rendered summary live on `actors`). */
export interface ProjectFields {
  readonly summaryMarkdown: string;
  readonly tags: readonly string[];
  readonly location: ProjectLocation | null;
  readonly website: string | null;
}

export interface ProjectLocation {
  readonly name: string | null;
  readonly latitude: number;
  readonly longitude: number;
  /** For the directory; null when not given. */
  readonly locality: string | null;
  readonly region: string | null;
  /** ISO 3166-1 alpha-2. */
  readonly country: string | null;
  readonly bioregion: string | null;
}

function fieldsToColumns(fields: ProjectFields) {
  return {
    summary_markdown: fields.summaryMarkdown,
    // A text[] bound as an array literal works the same on postgres.js and PGlite.
    tags: sql<string[]>`${toArrayLiteral(fields.tags)}::text[]`,
    location_name: fields.location?.name ?? null,
    latitude: fields.location?.latitude ?? null,
    longitude: fields.location?.longitude ?? null,
    locality: fields.location?.locality ?? null,
    region: fields.location?.region ?? null,
    country: fields.location?.country ?? null,
    bioregion: fields.location?.bioregion ?? null,
    website: fields.website,
  };
}

export async function insertProject(db: DbOrTrx, actorId: number, createdBy: number, fields: ProjectFields, listed = true): Promise<void> {
  await db
    .insertInto("projects")
    .values({ actor_id: actorId, created_by: createdBy, directory_listed: listed, ...fieldsToColumns(fields) })
    .execute();
}

export async function setProjectListed(db: DbOrTrx, actorId: number, listed: boolean): Promise<void> {
  await db.updateTable("projects").set({ directory_listed: listed }).where("actor_id", "=", actorId).execute();
}

export async function updateProjectFields(db: DbOrTrx, actorId: number, fields: ProjectFields): Promise<void> {
  await db.updateTable("projects").set(fieldsToColumns(fields)).where("actor_id", "=", actorId).execute();
}

export async function setProjectArchived(db: DbOrTrx, actorId: number, archivedAt: Date | null): Promise<void> {
  await db.updateTable("projects").set({ archived_at: archivedAt }).where("actor_id", "=", actorId).execute();
}

/** Adds a maintainer; false when they already were one. */
export async function insertMaintainer(db: DbOrTrx, projectActorId: number, memberActorId: number): Promise<boolean> {
  const row = await db
    .insertInto("project_maintainers")
    .values({ project_actor_id: projectActorId, member_actor_id: memberActorId })
    .onConflict((oc) => oc.columns(["project_actor_id", "member_actor_id"]).doNothing())
    .returning("member_actor_id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function isMaintainer(db: DbOrTrx, projectActorId: number, memberActorId: number): Promise<boolean> {
  const row = await db
    .selectFrom("project_maintainers")
    .select("member_actor_id")
    .where("project_actor_id", "=", projectActorId)
    .where("member_actor_id", "=", memberActorId)
    .executeTakeFirst();
  return row !== undefined;
}

/** `{"a","b"}` with every element quoted and escaped (tags are letters, digits and `_`, but be exact). */
function toArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}
