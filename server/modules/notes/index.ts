import type { Db } from "../../db/database.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import type { ProjectView } from "../projects/project.service.ts";
import { countReactions, listReplies, NO_COUNTS, type NoteCounts, type NoteReply } from "./note-reactions.queries.ts";
import type { EditUpdateInput, PostUpdateInput } from "./update.schema.ts";
import { deleteUpdate, editUpdate, hydrateUpdates, listProjectUpdates, listUpdatesTagged, loadUpdate, postUpdate, type ProjectUpdate, requireLiveUpdate, type UpdatePublisher } from "./update.service.ts";
import { isLiveLocalNote } from "./member-note.repository.ts";
import { countLiveUpdates, findPinnedUpdateRecords } from "./note.queries.ts";

export type { NoteCounts, NoteReply } from "./note-reactions.queries.ts";
export type { ProjectUpdate, UpdatePublisher } from "./update.service.ts";
export { NO_COUNTS } from "./note-reactions.queries.ts";

// Members' replies (rows of `notes` with `in_reply_to_iri`) and what every note shares. They take the
// database first so the replies module can store a reply in the transaction that commits its `Create`.
export { findMemberNote, insertMemberNote, isLiveLocalNote, type MemberNote } from "./member-note.repository.ts";
// A design's release announcement: a note authored by the design's `Service` actor, stored by the
// designs module in the transaction that publishes the release (its id is the release's id).
export { insertNote as insertAnnouncementNote } from "./note.repository.ts";
export { findUpdateRecord as findAnnouncementRecord } from "./note.queries.ts";

/** What the updates service is made with, once, when the node starts. */
export interface UpdatesServiceDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly publicUrl: URL;
  /** The outbox port: federation/ turns each change into the activity followers receive. */
  readonly publisher: UpdatePublisher;
}

/** An update with what its card shows beside it. */
export interface UpdateWithCounts {
  readonly update: ProjectUpdate;
  readonly counts: NoteCounts;
}

/**
 * The one entry to project updates (`Note`s a project's maintainers post) for the API, the pages and
 * federation's dispatchers. Lists come with their reaction counts in a fixed number of queries.
 */
export function createUpdatesService(deps: UpdatesServiceDeps) {
  const { db, publicUrl, publisher } = deps;
  const projectDeps = { db, box: deps.box, publicUrl };

  const withCounts = async (updates: readonly ProjectUpdate[]): Promise<UpdateWithCounts[]> => {
    const counts = await countReactions(db, updates.map((u) => u.id));
    return updates.map((update) => ({ update, counts: counts.get(update.id) ?? NO_COUNTS }));
  };

  return {
    /** The project's updates, pinned first when asked, newest first, with their counts. */
    async list(project: ProjectView, options: { limit: number; before?: string; pinnedFirst?: boolean }): Promise<UpdateWithCounts[]> {
      return await withCounts(await listProjectUpdates(db, publicUrl, project, options));
    },
    /** Updates of any project on this node that use the hashtag, with their counts. */
    async tagged(tag: string, limit: number): Promise<UpdateWithCounts[]> {
      return await withCounts(await listUpdatesTagged(db, publicUrl, tag, limit));
    },
    /** An update, deleted or not. */
    find: (project: ProjectView, id: string): Promise<ProjectUpdate | undefined> => loadUpdate(db, publicUrl, project, id),
    /** 404 for an unknown id, 410 for a deleted one. */
    requireLive: (project: ProjectView, id: string): Promise<ProjectUpdate> => requireLiveUpdate(db, publicUrl, project, id),
    async counts(update: ProjectUpdate): Promise<NoteCounts> {
      return (await countReactions(db, [update.id])).get(update.id) ?? NO_COUNTS;
    },
    replies: (update: ProjectUpdate): Promise<NoteReply[]> => listReplies(db, update.id),
    /** Replies, likes and boosts of local notes by id (a design's release announcements, too), one query each. */
    async countsOf(noteIds: readonly string[]): Promise<Map<string, NoteCounts>> {
      const counts = await countReactions(db, noteIds);
      return new Map(noteIds.map((id) => [id, counts.get(id) ?? NO_COUNTS]));
    },
    /** Replies to a local note by id, oldest first. */
    repliesOf: (noteId: string): Promise<NoteReply[]> => listReplies(db, noteId),
    /** Whether `id` is a live note of the local actor `handle` (a project update or a member's note): what a Like or reply may name. */
    isLive: (handle: string, id: string): Promise<boolean> => isLiveLocalNote(db, handle, id),
    /** The project's updates without their counts, for its ActivityPub outbox (federation/project-collections.ts). */
    page: (project: ProjectView, options: { limit: number; before?: string }): Promise<ProjectUpdate[]> => listProjectUpdates(db, publicUrl, project, options),
    /** The project's pinned updates, for its `featured` collection. */
    async pinned(project: Pick<ProjectView, "actorId" | "handle">): Promise<ProjectUpdate[]> {
      return await hydrateUpdates(db, publicUrl, project, await findPinnedUpdateRecords(db, project.actorId));
    },
    pinnedCount: async (projectActorId: number): Promise<number> => (await findPinnedUpdateRecords(db, projectActorId)).length,
    liveCount: (projectActorId: number): Promise<number> => countLiveUpdates(db, projectActorId),

    post: (posterActorId: number, handle: string, input: PostUpdateInput) => postUpdate(projectDeps, posterActorId, handle, input, publisher),
    edit: (editorActorId: number, handle: string, id: string, input: EditUpdateInput) => editUpdate(projectDeps, editorActorId, handle, id, input, publisher),
    delete: (actorId: number, handle: string, id: string) => deleteUpdate(projectDeps, actorId, handle, id, publisher),
  };
}

export type UpdatesService = ReturnType<typeof createUpdatesService>;
export { countLiveUpdates, findPinnedUpdateRecords } from "./note.queries.ts";
