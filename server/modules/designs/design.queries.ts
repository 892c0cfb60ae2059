import { sql } from "kysely";
import type { BomLine, DbOrTrx, ForkLink } from "../../db/database.ts";

/** A design as stored: its service actor joined with its design row and its linked project, if any. */
export interface DesignRecord {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  /** Rendered HTML (the actor's `summary`). */
  readonly summaryHtml: string;
  readonly summaryMarkdown: string;
  readonly function: string;
  readonly tags: readonly string[];
  readonly licence: string;
  readonly documentationLicence: string | null;
  readonly licensor: string;
  readonly projectActorId: number | null;
  readonly project: { readonly handle: string; readonly name: string } | null;
  readonly forkOf: string | null;
  readonly forkChain: readonly ForkLink[];
  readonly createdBy: number | null;
  readonly listed: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DesignMaintainer {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
}

function designQuery(db: DbOrTrx) {
  return db
    .selectFrom("designs as d")
    .innerJoin("actors as a", "a.id", "d.actor_id")
    .leftJoin("actors as p", "p.id", "d.project_actor_id")
    .select([
      "a.id",
      "a.handle",
      "a.name",
      "a.summary",
      "d.summary_markdown",
      "d.function",
      "d.tags",
      "d.licence",
      "d.documentation_licence",
      "d.licensor",
      "d.project_actor_id",
      "p.handle as project_handle",
      "p.name as project_name",
      "d.fork_of",
      "d.fork_chain",
      "d.created_by",
      "d.directory_listed",
      "d.created_at",
      "d.updated_at",
    ])
    .where("a.kind", "=", "service");
}

type DesignRow = Awaited<ReturnType<ReturnType<typeof designQuery>["executeTakeFirstOrThrow"]>>;

function rowToRecord(row: DesignRow): DesignRecord {
  return {
    actorId: row.id,
    handle: row.handle,
    name: row.name,
    summaryHtml: row.summary,
    summaryMarkdown: row.summary_markdown,
    function: row.function,
    tags: row.tags ?? [],
    licence: row.licence,
    documentationLicence: row.documentation_licence,
    licensor: row.licensor,
    projectActorId: row.project_actor_id,
    project: row.project_handle === null || row.project_name === null ? null : { handle: row.project_handle, name: row.project_name },
    forkOf: row.fork_of,
    forkChain: (row.fork_chain as ForkLink[] | null) ?? [],
    createdBy: row.created_by,
    listed: row.directory_listed,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findDesignByHandle(db: DbOrTrx, handle: string): Promise<DesignRecord | undefined> {
  const row = await designQuery(db).where("a.handle", "=", handle.toLowerCase()).executeTakeFirst();
  return row && rowToRecord(row);
}

export async function findDesignByActorId(db: DbOrTrx, actorId: number): Promise<DesignRecord | undefined> {
  const row = await designQuery(db).where("a.id", "=", actorId).executeTakeFirst();
  return row && rowToRecord(row);
}

/** Newest first. */
export async function listDesigns(db: DbOrTrx, limit: number): Promise<DesignRecord[]> {
  const rows = await designQuery(db).orderBy("d.created_at", "desc").orderBy("a.id", "desc").limit(limit).execute();
  return rows.map(rowToRecord);
}

export async function listDesignMaintainers(db: DbOrTrx, designActorId: number): Promise<DesignMaintainer[]> {
  return await db
    .selectFrom("design_maintainers as m")
    .innerJoin("actors as a", "a.id", "m.member_actor_id")
    .select(["a.id as actorId", "a.handle", "a.name"])
    .where("m.design_actor_id", "=", designActorId)
    .orderBy("m.added_at")
    .orderBy("a.id")
    .execute();
}

export async function isDesignMaintainer(db: DbOrTrx, designActorId: number, memberActorId: number): Promise<boolean> {
  const row = await db
    .selectFrom("design_maintainers")
    .select("member_actor_id")
    .where("design_actor_id", "=", designActorId)
    .where("member_actor_id", "=", memberActorId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A local project (group actor) by handle: what a design may link to. */
export async function findProjectActor(db: DbOrTrx, handle: string): Promise<{ id: number; handle: string; name: string } | undefined> {
  return await db.selectFrom("actors").select(["id", "handle", "name"]).where("handle", "=", handle.toLowerCase()).where("kind", "=", "group").executeTakeFirst();
}

/** An active local member by handle: who may become a maintainer (not one pending approval or disabled). */
export async function findMemberActor(db: DbOrTrx, handle: string): Promise<{ id: number; handle: string; name: string } | undefined> {
  return await db
    .selectFrom("actors")
    .innerJoin("accounts", "accounts.actor_id", "actors.id")
    .select(["actors.id", "actors.handle", "actors.name"])
    .where("actors.handle", "=", handle.toLowerCase())
    .where("actors.kind", "=", "person")
    .where("accounts.status", "=", "active")
    .executeTakeFirst();
}

/** A release as stored, with its files in upload order. */
export interface ReleaseRecord {
  readonly id: string;
  readonly designActorId: number;
  readonly version: string;
  readonly versionOrder: string;
  readonly notesMarkdown: string;
  readonly notesHtml: string;
  readonly trl: string | null;
  readonly drl: string | null;
  readonly bom: readonly BomLine[];
  readonly licence: string;
  readonly documentationLicence: string | null;
  readonly forkOf: string | null;
  readonly totalBytes: number;
  readonly publishedAt: Date;
  readonly files: readonly ReleaseFileRecord[];
}

export interface ReleaseFileRecord {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly role: string | null;
  readonly preview: { readonly sha256: string; readonly width: number; readonly height: number } | null;
}

/** Releases of several designs (or one version, or one id, of one), with their files: two queries whatever the count. */
async function loadReleases(db: DbOrTrx, designActorIds: readonly number[], only: { version?: string; id?: string; latest?: boolean } = {}): Promise<ReleaseRecord[]> {
  if (designActorIds.length === 0) return [];
  let query = db.selectFrom("design_releases").selectAll().where("design_actor_id", "in", designActorIds);
  if (only.version !== undefined) query = query.where("version", "=", only.version);
  if (only.id !== undefined) query = query.where("id", "=", only.id);
  if (only.latest === true) {
    // The newest version of each design: the order key compares byte by byte (COLLATE "C"), never by locale.
    query = query.distinctOn("design_actor_id").orderBy("design_actor_id").orderBy(sql`version_order COLLATE "C"`, "desc");
  }
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const files = await db
    .selectFrom("release_files")
    .selectAll()
    .where(
      "release_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("release_id")
    .orderBy("position")
    .execute();
  const byRelease = new Map<string, ReleaseFileRecord[]>();
  for (const f of files) {
    const list = byRelease.get(f.release_id) ?? [];
    list.push({
      name: f.name,
      sha256: f.sha256,
      size: f.size,
      mediaType: f.media_type,
      role: f.role,
      preview: f.preview_sha256 === null ? null : { sha256: f.preview_sha256, width: f.preview_width ?? 0, height: f.preview_height ?? 0 },
    });
    byRelease.set(f.release_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    designActorId: r.design_actor_id,
    version: r.version,
    versionOrder: r.version_order,
    notesMarkdown: r.notes_markdown,
    notesHtml: r.notes_html,
    trl: r.trl,
    drl: r.drl,
    bom: (r.bom as BomLine[] | null) ?? [],
    licence: r.licence,
    documentationLicence: r.documentation_licence,
    forkOf: r.fork_of,
    totalBytes: r.total_bytes,
    publishedAt: r.published_at,
    files: byRelease.get(r.id) ?? [],
  }));
}

/** Every release of a design, newest version first (keys compare byte by byte, never by locale). */
export async function listReleases(db: DbOrTrx, designActorId: number): Promise<ReleaseRecord[]> {
  return sortNewestFirst(await loadReleases(db, [designActorId]));
}

export async function findRelease(db: DbOrTrx, designActorId: number, version: string): Promise<ReleaseRecord | undefined> {
  return (await loadReleases(db, [designActorId], { version }))[0];
}

export async function findReleaseById(db: DbOrTrx, designActorId: number, id: string): Promise<ReleaseRecord | undefined> {
  return (await loadReleases(db, [designActorId], { id }))[0];
}

/** The newest release of each design, by design actor id. */
export async function latestReleasesOf(db: DbOrTrx, designActorIds: readonly number[]): Promise<Map<number, ReleaseRecord>> {
  return new Map((await loadReleases(db, designActorIds, { latest: true })).map((release) => [release.designActorId, release]));
}

function sortNewestFirst(releases: ReleaseRecord[]): ReleaseRecord[] {
  return releases.sort((a, b) => (a.versionOrder < b.versionOrder ? 1 : a.versionOrder > b.versionOrder ? -1 : 0));
}

/** Whether any release file, or any preview, is this blob. */
export async function isBlobReferenced(db: DbOrTrx, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom("release_files")
    .select(sql<number>`1`.as("one"))
    .where((eb) => eb.or([eb("sha256", "=", sha256), eb("preview_sha256", "=", sha256)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
