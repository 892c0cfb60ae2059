import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";
import type { ProjectLocation } from "./project.repository.ts";

/** A project as stored: its group actor joined with its project row. */
export interface ProjectRecord {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  /** Rendered HTML (the actor's `summary`). */
  readonly summaryHtml: string;
  readonly summaryMarkdown: string;
  readonly tags: readonly string[];
  readonly location: ProjectLocation | null;
  readonly website: string | null;
  readonly avatarMediaId: string | null;
  readonly bannerMediaId: string | null;
  readonly createdBy: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly archivedAt: Date | null;
  /** Listed in the directory. */
  readonly listed: boolean;
}

export interface MaintainerSummary {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
}

function projectQuery(db: DbOrTrx) {
  return db
    .selectFrom("projects")
    .innerJoin("actors", "actors.id", "projects.actor_id")
    .select([
      "actors.id",
      "actors.handle",
      "actors.name",
      "actors.summary",
      "actors.avatar_media_id",
      "actors.banner_media_id",
      "actors.created_at",
      "actors.updated_at",
      "projects.summary_markdown",
      "projects.tags",
      "projects.location_name",
      "projects.latitude",
      "projects.longitude",
      "projects.locality",
      "projects.region",
      "projects.country",
      "projects.bioregion",
      "projects.directory_listed",
      "projects.website",
      "projects.created_by",
      "projects.archived_at",
    ])
    .where("actors.kind", "=", "group");
}

type ProjectRow = Awaited<ReturnType<ReturnType<typeof projectQuery>["executeTakeFirstOrThrow"]>>;

function rowToRecord(row: ProjectRow): ProjectRecord {
  return {
    actorId: row.id,
    handle: row.handle,
    name: row.name,
    summaryHtml: row.summary,
    summaryMarkdown: row.summary_markdown,
    tags: row.tags ?? [],
    location:
      row.latitude === null || row.longitude === null
        ? null
        : { name: row.location_name, latitude: row.latitude, longitude: row.longitude, locality: row.locality, region: row.region, country: row.country, bioregion: row.bioregion },
    website: row.website,
    avatarMediaId: row.avatar_media_id,
    bannerMediaId: row.banner_media_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
    listed: row.directory_listed,
  };
}

export async function findProjectByActorId(db: DbOrTrx, actorId: number): Promise<ProjectRecord | undefined> {
  const row = await projectQuery(db).where("actors.id", "=", actorId).executeTakeFirst();
  return row && rowToRecord(row);
}

/** Every project's actor id, oldest first. */
export async function listProjectActorIds(db: DbOrTrx): Promise<number[]> {
  const rows = await db.selectFrom("projects").select("actor_id").orderBy("actor_id").execute();
  return rows.map((r) => r.actor_id);
}

export async function findProjectByHandle(db: DbOrTrx, handle: string): Promise<ProjectRecord | undefined> {
  const row = await projectQuery(db).where("actors.handle", "=", handle.trim().toLowerCase()).executeTakeFirst();
  return row && rowToRecord(row);
}

/** The node's projects, newest first; archived ones last. */
export async function listProjects(db: DbOrTrx, limit: number): Promise<ProjectRecord[]> {
  const rows = await projectQuery(db)
    .orderBy((eb) => eb("projects.archived_at", "is", null), "desc")
    .orderBy("actors.created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(rowToRecord);
}

export async function listMaintainers(db: DbOrTrx, projectActorId: number): Promise<MaintainerSummary[]> {
  const rows = await db
    .selectFrom("project_maintainers")
    .innerJoin("actors", "actors.id", "project_maintainers.member_actor_id")
    .select(["actors.id", "actors.handle", "actors.name"])
    .where("project_maintainers.project_actor_id", "=", projectActorId)
    .orderBy("project_maintainers.added_at")
    .orderBy("actors.id")
    .execute();
  return rows.map((row) => ({ actorId: row.id, handle: row.handle, name: row.name }));
}

/** Followers are stored by the inbox (server/modules/followers); this only counts them. */
export async function countFollowers(db: DbOrTrx, actorId: number): Promise<number> {
  const row = await db
    .selectFrom("followers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("local_actor_id", "=", actorId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A local member (person actor with an account) by handle, for adding maintainers. */
export async function findMemberActorByHandle(db: DbOrTrx, handle: string): Promise<MaintainerSummary | undefined> {
  const row = await db
    .selectFrom("actors")
    .innerJoin("accounts", "accounts.actor_id", "actors.id")
    .select(["actors.id", "actors.handle", "actors.name"])
    .where("actors.handle", "=", handle.trim().toLowerCase().replace(/^@/, ""))
    .where("actors.kind", "=", "person")
    .where("accounts.status", "=", "active")
    .executeTakeFirst();
  return row && { actorId: row.id, handle: row.handle, name: row.name };
}

/** Projects tagged `tag` (normalised), newest first. */
export async function listProjectsByTag(db: DbOrTrx, tag: string, limit: number): Promise<ProjectRecord[]> {
  const rows = await projectQuery(db)
    .where(sql<boolean>`projects.tags @> ARRAY[${tag}]::text[]`)
    .orderBy("actors.created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(rowToRecord);
}

/** Maintainers of several projects in one query, keyed by project actor id (read models of lists). */
export async function listMaintainersOf(db: DbOrTrx, projectActorIds: readonly number[]): Promise<Map<number, MaintainerSummary[]>> {
  const byProject = new Map<number, MaintainerSummary[]>(projectActorIds.map((id) => [id, []]));
  if (projectActorIds.length === 0) return byProject;
  const rows = await db
    .selectFrom("project_maintainers")
    .innerJoin("actors", "actors.id", "project_maintainers.member_actor_id")
    .select(["project_maintainers.project_actor_id", "actors.id", "actors.handle", "actors.name"])
    .where("project_maintainers.project_actor_id", "in", [...projectActorIds])
    .orderBy("project_maintainers.added_at")
    .orderBy("actors.id")
    .execute();
  for (const row of rows) byProject.get(row.project_actor_id)?.push({ actorId: row.id, handle: row.handle, name: row.name });
  return byProject;
}

/** Follower counts of several actors in one query. */
export async function countFollowersOf(db: DbOrTrx, actorIds: readonly number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>(actorIds.map((id) => [id, 0]));
  if (actorIds.length === 0) return counts;
  const rows = await db
    .selectFrom("followers")
    .select(["local_actor_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("local_actor_id", "in", [...actorIds])
    .groupBy("local_actor_id")
    .execute();
  for (const row of rows) counts.set(row.local_actor_id, Number(row.n));
  return counts;
}

/** Projects by handle, in one query (e.g. the names beside updates on a tag page). */
export async function findProjectsByHandles(db: DbOrTrx, handles: readonly string[]): Promise<ProjectRecord[]> {
  if (handles.length === 0) return [];
  const rows = await projectQuery(db).where("actors.handle", "in", [...handles]).execute();
  return rows.map(rowToRecord);
}
