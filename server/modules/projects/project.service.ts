import type { Db, DbOrTrx } from "../../db/database.ts";
import { DomainError, forbidden, notFound } from "../../platform/errors.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { renderMarkdown } from "../../platform/text/markdown.ts";
import { insertActor, updateActorProfile } from "../actors/index.ts";
import { ensureActorKeys } from "../actors/actor-keys.ts";
import { attachProfileImage, detachProfileImage, findMediaByIds, findMediaForOwner, type MediaInfo, toMediaInfo } from "../media/media.service.ts";
import { type DirectoryChange, syncLocalEntry } from "../directory/local-entries.ts";
import { commitWithActivities, type EmitActivity } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import type { AddMaintainerInput, CreateProjectInput, EditProjectInput, LocationInput } from "./project.schema.ts";
import { findMemberActorByHandle, findProjectByActorId, findProjectByHandle, listProjectActorIds, listMaintainers, type MaintainerSummary, type ProjectRecord } from "./project.queries.ts";
import { insertMaintainer, insertProject, isMaintainer, type ProjectFields, type ProjectLocation, setProjectArchived, setProjectListed, updateProjectFields } from "./project.repository.ts";

/** What project services need: the database, the node secret (actor keys) and the public URL. */
export interface ProjectDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly publicUrl: URL;
}

/** A project with its images resolved, as pages, the API and the `Group` translator use it. */
export interface ProjectView extends ProjectRecord {
  readonly avatar: MediaInfo | null;
  readonly banner: MediaInfo | null;
}

/**
 * The outbox port of projects: federation/ translates an edited project to an `Update(Group)` draft.
 * Called before the transaction, since building the actor loads its keys.
 */
export interface ProjectPublisher {
  profileUpdated(project: ProjectView): Promise<ActivityDraft>;
  /**
   * The project's directory entry changed (server/modules/directory/local-entries.ts): the drafts
   * that tell this node's peers, from the node actor. Called inside the project's transaction, so it
   * reads the database only through `trx` (PGlite has one connection). Optional until peering exists.
   */
  directoryChanged?(change: DirectoryChange, trx: DbOrTrx): Promise<readonly ActivityDraft[]>;
}

/** Keeps the project's directory entry in step, in the project's transaction, and tells peers. */
async function syncDirectory(trx: DbOrTrx, emit: EmitActivity, deps: ProjectDeps, actorId: number, publisher: Pick<ProjectPublisher, "directoryChanged"> | undefined): Promise<void> {
  const change = await syncProjectEntry(trx, deps.publicUrl, actorId);
  if (change === null || publisher?.directoryChanged === undefined) return;
  for (const draft of await publisher.directoryChanged(change, trx)) await emit(draft);
}

/** The project's directory entry brought in line with the project, in the caller's transaction. */
export async function syncProjectEntry(trx: DbOrTrx, publicUrl: URL, actorId: number): Promise<DirectoryChange | null> {
  return await syncLocalEntry(trx, publicUrl, actorId, await findProjectByActorId(trx, actorId));
}

/**
 * Creates the entries of projects that predate the directory (or were changed while it was out of
 * step): run at start; cheap when everything is in sync. Returns how many entries changed.
 */
export async function syncAllProjectEntries(db: Db, publicUrl: URL): Promise<number> {
  let changed = 0;
  for (const id of await listProjectActorIds(db)) {
    if (await db.transaction().execute((trx) => syncProjectEntry(trx, publicUrl, id))) changed++;
  }
  return changed;
}

function toProjectLocation(input: LocationInput | null | undefined): ProjectLocation | null {
  if (!input) return null;
  const { latitude, longitude } = input;
  return { name: input.name || null, latitude, longitude, locality: input.locality ?? null, region: input.region ?? null, country: input.country ?? null, bioregion: input.bioregion ?? null };
}

/** The hashtag pages of this node, which rendered Markdown links to. */
export function tagBaseUrl(publicUrl: URL): URL {
  return new URL("/tags/", publicUrl);
}

export async function loadProject(db: DbOrTrx, publicUrl: URL, handle: string): Promise<ProjectView | undefined> {
  const record = await findProjectByHandle(db, handle);
  return record && (await withImages(db, publicUrl, record));
}

export async function requireProject(db: DbOrTrx, publicUrl: URL, handle: string): Promise<ProjectView> {
  const project = await loadProject(db, publicUrl, handle);
  if (project === undefined) throw notFound(`There is no project @${handle} on this node.`);
  return project;
}

export async function withImages(db: DbOrTrx, publicUrl: URL, record: ProjectRecord): Promise<ProjectView> {
  return (await withImagesAll(db, publicUrl, [record]))[0]!;
}

/** Images of several projects in one query. */
export async function withImagesAll(db: DbOrTrx, publicUrl: URL, records: readonly ProjectRecord[]): Promise<ProjectView[]> {
  const ids = records.flatMap((r) => [r.avatarMediaId, r.bannerMediaId]).filter((id): id is string => id !== null);
  const media = await findMediaByIds(db, [...new Set(ids)], publicUrl);
  const find = (id: string | null) => media.find((m) => m.id === id) ?? null;
  return records.map((record) => ({ ...record, avatar: find(record.avatarMediaId), banner: find(record.bannerMediaId) }));
}

/** Only maintainers change a project or post its updates (403 for anyone else). */
export async function requireMaintainer(db: DbOrTrx, project: ProjectRecord, memberActorId: number): Promise<void> {
  if (!(await isMaintainer(db, project.actorId, memberActorId))) {
    throw forbidden(`Only maintainers of @${project.handle} may do this.`);
  }
}

/**
 * Creates a project: its `group` actor (the handle is unique across every local actor, 409 when
 * taken), its project row, its keys, the creator as first maintainer and its directory entry (when
 * listed), in one transaction.
 */
export async function createProject(
  deps: ProjectDeps,
  creatorActorId: number,
  input: CreateProjectInput,
  publisher?: Pick<ProjectPublisher, "directoryChanged">,
): Promise<ProjectView> {
  const summaryHtml = renderMarkdown(input.summary, { tagBaseUrl: tagBaseUrl(deps.publicUrl) }).html;
  const handle = await commitWithActivities(deps.db, async (trx, emit) => {
    const actor = await insertActor(trx, { handle: input.handle, kind: "group", name: input.name, summary: summaryHtml });
    if (actor === undefined) throw new DomainError("conflict", "conflict", `handle: @${input.handle} is already taken.`, [{ path: "handle", message: "is already taken" }]);
    await insertProject(
      trx,
      actor.id,
      creatorActorId,
      { summaryMarkdown: input.summary, tags: input.tags, location: toProjectLocation(input.location), website: input.website ?? null },
      input.listed,
    );
    await insertMaintainer(trx, actor.id, creatorActorId);
    if (input.avatar) await attachProfileImage(trx, actor.id, input.avatar, "avatar", creatorActorId);
    if (input.banner) await attachProfileImage(trx, actor.id, input.banner, "banner", creatorActorId);
    await ensureActorKeys(trx, deps.box, actor.id);
    await syncDirectory(trx, emit, deps, actor.id, publisher);
    return actor.handle;
  });
  return await requireProject(deps.db, deps.publicUrl, handle);
}

/**
 * Edits a project (maintainers only). A change that followers can see (name, summary, tags,
 * location, website, images) commits together with an `Update(Group)` to them; archiving only
 * changes what pages show and refuses new updates. The directory entry follows in the same
 * transaction: archived or unlisted projects leave the directory.
 */
export async function editProject(
  deps: ProjectDeps,
  editorActorId: number,
  handle: string,
  input: EditProjectInput,
  publisher: ProjectPublisher,
): Promise<ProjectView> {
  const current = await requireProject(deps.db, deps.publicUrl, handle);
  await requireMaintainer(deps.db, current, editorActorId);
  const next = await nextProjectView(deps, current, editorActorId, input);
  const visible = profileFingerprint(next) !== profileFingerprint(current);
  const draft = visible ? await publisher.profileUpdated(next) : undefined;
  await commitWithActivities(deps.db, async (trx, emit) => {
    if (visible) {
      await updateActorProfile(trx, current.actorId, { name: next.name, summary: next.summaryHtml });
      await updateProjectFields(trx, current.actorId, next);
      await saveImage(trx, current, next, "avatar", editorActorId);
      await saveImage(trx, current, next, "banner", editorActorId);
    }
    if (input.archived !== undefined && input.archived !== (current.archivedAt !== null)) {
      await setProjectArchived(trx, current.actorId, input.archived ? new Date() : null);
    }
    if (input.listed !== undefined && input.listed !== current.listed) await setProjectListed(trx, current.actorId, input.listed);
    if (draft !== undefined) await emit(draft);
    await syncDirectory(trx, emit, deps, current.actorId, publisher);
  });
  return await requireProject(deps.db, deps.publicUrl, handle);
}

async function nextProjectView(deps: ProjectDeps, current: ProjectView, editorActorId: number, input: EditProjectInput): Promise<ProjectView> {
  const summaryMarkdown = input.summary ?? current.summaryMarkdown;
  const fields: ProjectFields = {
    summaryMarkdown,
    tags: input.tags ?? current.tags,
    location: input.location === undefined ? current.location : toProjectLocation(input.location),
    website: input.website === undefined ? current.website : input.website,
  };
  return {
    ...current,
    ...fields,
    name: input.name ?? current.name,
    summaryHtml: input.summary === undefined ? current.summaryHtml : renderMarkdown(summaryMarkdown, { tagBaseUrl: tagBaseUrl(deps.publicUrl) }).html,
    avatar: await nextImage(deps, current.avatar, input.avatar, editorActorId, "avatar"),
    banner: await nextImage(deps, current.banner, input.banner, editorActorId, "banner"),
    updatedAt: new Date(),
  };
}

async function nextImage(
  deps: ProjectDeps,
  current: MediaInfo | null,
  requested: string | null | undefined,
  uploaderActorId: number,
  kind: "avatar" | "banner",
): Promise<MediaInfo | null> {
  if (requested === undefined) return current;
  if (requested === null) return null;
  if (requested === current?.id) return current;
  const [media] = await findMediaForOwner(deps.db, [requested], uploaderActorId);
  if (media === undefined) throw notFound(`${kind}: no upload ${requested} of yours exists.`);
  return toMediaInfo(media, deps.publicUrl);
}

/** The media module checks ownership and purpose again, inside the transaction. */
async function saveImage(trx: DbOrTrx, current: ProjectView, next: ProjectView, kind: "avatar" | "banner", uploaderActorId: number): Promise<void> {
  const image = next[kind];
  if (image?.id === current[kind]?.id) return;
  if (image === null) await detachProfileImage(trx, current.actorId, kind);
  else await attachProfileImage(trx, current.actorId, image.id, kind, uploaderActorId);
}

function profileFingerprint(p: ProjectView): string {
  return JSON.stringify([p.name, p.summaryMarkdown, p.tags, p.location, p.website, p.avatar?.id ?? null, p.banner?.id ?? null]);
}

/** Adds a member of this node as maintainer (maintainers only); `alice`, `@alice` or `alice@this-host`. */
export async function addMaintainer(
  deps: ProjectDeps,
  byActorId: number,
  handle: string,
  input: AddMaintainerInput,
): Promise<{ added: boolean; maintainers: MaintainerSummary[] }> {
  const project = await requireProject(deps.db, deps.publicUrl, handle);
  await requireMaintainer(deps.db, project, byActorId);
  const [local, host] = input.handle.replace(/^@/, "").split("@");
  const invalid = (message: string) => new DomainError("invalid_input", "invalid_input", `handle: ${message}`, [{ path: "handle", message }]);
  if (host !== undefined && host !== deps.publicUrl.host) throw invalid("must be a member of this node");
  const member = await findMemberActorByHandle(deps.db, local ?? "");
  if (member === undefined) throw invalid(`there is no active member @${local} on this node`);
  const added = await insertMaintainer(deps.db, project.actorId, member.actorId);
  return { added, maintainers: await listMaintainers(deps.db, project.actorId) };
}
