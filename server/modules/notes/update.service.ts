import type { DbOrTrx } from "../../db/database.ts";
import { DomainError, conflict, gone, notFound } from "../../platform/errors.ts";
import { uuidv7 } from "../../platform/ids.ts";
import { hashtagsInHtml, renderMarkdown, tagUrl } from "../../platform/text/markdown.ts";
import { describeAttachment, findMediaByIds, findMediaForOwner, type MediaInfo, toMediaInfo } from "../media/index.ts";
import { commitWithActivities } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import { type ProjectDeps, type ProjectView, requireMaintainer, requireProject, tagBaseUrl } from "../projects/project.service.ts";
import { findPinnedUpdateRecords, findUpdateRecord, listNoteMediaIds, listUpdateRecordsLinking, listUpdateRecords, type NoteRecord } from "./note.queries.ts";
import { insertNote, replaceNoteMedia, setNotePinned, tombstoneNote, updateNoteContent } from "./note.repository.ts";
import type { EditUpdateInput, PostUpdateInput, UpdateImageInput } from "./update.schema.ts";

/** A project's update (a `Note` from its `Group`), with its images resolved. */
export interface ProjectUpdate {
  readonly id: string;
  readonly projectActorId: number;
  readonly projectHandle: string;
  /** Markdown as written. */
  readonly contentSource: string;
  readonly contentHtml: string;
  /** Normalised hashtags linked in the content. */
  readonly hashtags: readonly string[];
  readonly images: readonly MediaInfo[];
  readonly publishedAt: Date;
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
  readonly pinnedAt: Date | null;
}

/**
 * The outbox port of updates: federation/ translates each change to the activity followers receive
 * (`Create`, `Update` with a newer `updated`, `Delete` with a `Tombstone`, `Add`/`Remove` on the
 * featured collection). Modules never see the vocabulary; they store the drafts it returns.
 */
export interface UpdatePublisher {
  created(update: ProjectUpdate): Promise<ActivityDraft>;
  edited(update: ProjectUpdate): Promise<ActivityDraft>;
  deleted(update: ProjectUpdate): Promise<ActivityDraft>;
  pinned(update: ProjectUpdate): Promise<ActivityDraft>;
  unpinned(update: ProjectUpdate, at: Date): Promise<ActivityDraft>;
}

export async function hydrateUpdates(db: DbOrTrx, publicUrl: URL, project: Pick<ProjectView, "actorId" | "handle">, records: readonly NoteRecord[]): Promise<ProjectUpdate[]> {
  return await hydrate(db, publicUrl, records.map((record) => ({ ...record, projectHandle: project.handle })));
}

async function hydrate(db: DbOrTrx, publicUrl: URL, records: readonly (NoteRecord & { projectHandle: string })[]): Promise<ProjectUpdate[]> {
  const mediaIds = await listNoteMediaIds(db, records.map((r) => r.id));
  const media = await findMediaByIds(db, [...new Set([...mediaIds.values()].flat())], publicUrl);
  return records.map((record) => ({
    id: record.id,
    projectActorId: record.authorActorId,
    projectHandle: record.projectHandle,
    contentSource: record.contentSource,
    contentHtml: record.contentHtml,
    hashtags: hashtagsInHtml(record.contentHtml),
    images: (mediaIds.get(record.id) ?? []).flatMap((id) => media.find((m) => m.id === id) ?? []),
    publishedAt: record.publishedAt,
    editedAt: record.editedAt,
    deletedAt: record.deletedAt,
    pinnedAt: record.pinnedAt,
  }));
}

/** Updates of any project on this node that use the hashtag, newest first. */
export async function listUpdatesTagged(db: DbOrTrx, publicUrl: URL, tag: string, limit: number): Promise<ProjectUpdate[]> {
  return await hydrate(db, publicUrl, await listUpdateRecordsLinking(db, tagUrl(tagBaseUrl(publicUrl), tag), limit));
}

/** An update of the project, deleted or not. */
export async function loadUpdate(db: DbOrTrx, publicUrl: URL, project: ProjectView, id: string): Promise<ProjectUpdate | undefined> {
  const record = await findUpdateRecord(db, project.actorId, id);
  return record && (await hydrateUpdates(db, publicUrl, project, [record]))[0];
}

/** 404 for an unknown id, 410 for a deleted one (its Tombstone). */
export async function requireLiveUpdate(db: DbOrTrx, publicUrl: URL, project: ProjectView, id: string): Promise<ProjectUpdate> {
  const update = await loadUpdate(db, publicUrl, project, id);
  if (update === undefined) throw notFound(`@${project.handle} has no update ${id}.`);
  if (update.deletedAt !== null) throw gone("This update was deleted.");
  return update;
}

export async function listProjectUpdates(
  db: DbOrTrx,
  publicUrl: URL,
  project: ProjectView,
  options: { limit: number; before?: string; pinnedFirst?: boolean },
): Promise<ProjectUpdate[]> {
  return await hydrateUpdates(db, publicUrl, project, await listUpdateRecords(db, project.actorId, options));
}

/** A maintainer posts an update: stored with its images and a `Create` to followers, in one transaction. */
export async function postUpdate(deps: ProjectDeps, posterActorId: number, handle: string, input: PostUpdateInput, publisher: UpdatePublisher): Promise<ProjectUpdate> {
  const project = await requireProject(deps.db, deps.publicUrl, handle);
  await requireMaintainer(deps.db, project, posterActorId);
  if (project.archivedAt !== null) throw conflict(`@${project.handle} is archived and takes no new updates.`);
  const images = await resolveImages(deps, posterActorId, input.images, []);
  const rendered = renderMarkdown(input.content, { tagBaseUrl: tagBaseUrl(deps.publicUrl) });
  const now = Date.now();
  const update: ProjectUpdate = {
    id: uuidv7(now),
    projectActorId: project.actorId,
    projectHandle: project.handle,
    contentSource: input.content,
    contentHtml: rendered.html,
    hashtags: rendered.hashtags,
    images,
    publishedAt: new Date(now),
    editedAt: null,
    deletedAt: null,
    pinnedAt: null,
  };
  const draft = await publisher.created(update);
  await commitWithActivities(deps.db, async (trx, emit) => {
    await insertNote(trx, { id: update.id, authorActorId: project.actorId, contentSource: update.contentSource, contentHtml: update.contentHtml, publishedAt: update.publishedAt });
    await saveImages(trx, update.id, images);
    await emit(draft);
  });
  return update;
}

/**
 * Edits an update (maintainers only). New content or images make an explicit edit: `edited_at`
 * moves forward and followers get an `Update` whose `updated` is newer than before (Mastodon ignores
 * the rest, process_status_update_service.rb). `pinned` pins it to the featured collection (`Add`, replacing
 * the pinned one with `Remove`) or unpins it.
 */
export async function editUpdate(
  deps: ProjectDeps,
  editorActorId: number,
  handle: string,
  id: string,
  input: EditUpdateInput,
  publisher: UpdatePublisher,
): Promise<ProjectUpdate> {
  const project = await requireProject(deps.db, deps.publicUrl, handle);
  await requireMaintainer(deps.db, project, editorActorId);
  const current = await requireLiveUpdate(deps.db, deps.publicUrl, project, id);
  let next = current;
  const drafts: ActivityDraft[] = [];
  if (input.content !== undefined || input.images !== undefined) {
    next = await editedUpdate(deps, editorActorId, current, input);
    if (next !== current) drafts.push(await publisher.edited(next));
  }
  const unpin: ProjectUpdate[] = [];
  const now = new Date();
  if (input.pinned === true && current.pinnedAt === null) {
    const others = await findPinnedUpdateRecords(deps.db, project.actorId);
    unpin.push(...(await hydrateUpdates(deps.db, deps.publicUrl, project, others)));
    for (const other of unpin) drafts.push(await publisher.unpinned(other, now));
    next = { ...next, pinnedAt: now };
    drafts.push(await publisher.pinned(next));
  } else if (input.pinned === false && current.pinnedAt !== null) {
    next = { ...next, pinnedAt: null };
    drafts.push(await publisher.unpinned(next, now));
  }
  await commitWithActivities(deps.db, async (trx, emit) => {
    if (next.editedAt !== current.editedAt && next.editedAt !== null) {
      await updateNoteContent(trx, id, { contentSource: next.contentSource, contentHtml: next.contentHtml, editedAt: next.editedAt });
      await saveImages(trx, id, next.images);
    }
    for (const other of unpin) await setNotePinned(trx, other.id, null);
    if (next.pinnedAt !== current.pinnedAt) await setNotePinned(trx, id, next.pinnedAt);
    for (const draft of drafts) await emit(draft);
  });
  return next;
}

async function editedUpdate(deps: ProjectDeps, editorActorId: number, current: ProjectUpdate, input: EditUpdateInput): Promise<ProjectUpdate> {
  const images = input.images === undefined ? current.images : await resolveImages(deps, editorActorId, input.images, current.images);
  const contentSource = input.content ?? current.contentSource;
  const sameImages = JSON.stringify(images.map((i) => [i.id, i.alt])) === JSON.stringify(current.images.map((i) => [i.id, i.alt]));
  if (contentSource === current.contentSource && sameImages) return current;
  const rendered = renderMarkdown(contentSource, { tagBaseUrl: tagBaseUrl(deps.publicUrl) });
  // `updated` must be strictly newer than the last one, even within one millisecond.
  const previous = (current.editedAt ?? current.publishedAt).getTime();
  const editedAt = new Date(Math.max(Date.now(), previous + 1));
  return { ...current, contentSource, contentHtml: rendered.html, hashtags: rendered.hashtags, images, editedAt };
}

/** Deletes an update: the row stays as a tombstone (410) and followers get `Delete(Tombstone)`. */
export async function deleteUpdate(deps: ProjectDeps, actorId: number, handle: string, id: string, publisher: UpdatePublisher): Promise<void> {
  const project = await requireProject(deps.db, deps.publicUrl, handle);
  await requireMaintainer(deps.db, project, actorId);
  const current = await requireLiveUpdate(deps.db, deps.publicUrl, project, id);
  const deleted: ProjectUpdate = { ...current, deletedAt: new Date(), pinnedAt: null };
  const draft = await publisher.deleted(deleted);
  await commitWithActivities(deps.db, async (trx, emit) => {
    await tombstoneNote(trx, id, deleted.deletedAt!);
    await emit(draft);
  });
}

/**
 * Images for an update: each must be an attachment upload of the poster's, or already on the update.
 * A description given with the image becomes its alt text.
 */
async function resolveImages(deps: ProjectDeps, actorId: number, requested: readonly UpdateImageInput[], attached: readonly MediaInfo[]): Promise<MediaInfo[]> {
  const fresh = requested.filter((r) => !attached.some((a) => a.id === r.id)).map((r) => r.id);
  const owned = await findMediaForOwner(deps.db, fresh, actorId);
  return requested.map((image, index) => {
    const known = attached.find((a) => a.id === image.id);
    const record = owned.find((m) => m.id === image.id);
    const invalid = (message: string) => new DomainError("invalid_input", "invalid_input", `images.${index}: ${message}`, [{ path: `images.${index}`, message }]);
    if (known === undefined && record === undefined) throw invalid(`no upload ${image.id} of yours exists`);
    if (record !== undefined && record.purpose !== "attachment") throw invalid(`upload ${image.id} was made as ${record.purpose === "avatar" ? "an avatar" : "a banner"}; upload it again as an attachment`);
    const info = known ?? toMediaInfo(record!, deps.publicUrl);
    return image.description === undefined ? info : { ...info, alt: image.description };
  });
}

async function saveImages(trx: DbOrTrx, noteId: string, images: readonly MediaInfo[]): Promise<void> {
  await replaceNoteMedia(trx, noteId, images.map((i) => i.id));
  for (const image of images) await describeAttachment(trx, image.id, image.alt);
}
