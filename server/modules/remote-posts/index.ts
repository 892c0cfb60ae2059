import type { Db } from "../../db/database.ts";
import { editRemotePostIfNewer, findRemotePostVersion, type RemotePostEdit, type RemotePostVersion } from "./remote-post-edits.repository.ts";
import {
  findRemotePostByIri,
  formatTimelineCursor,
  listTimeline,
  markRemotePostDeleted,
  recordRemotePostTombstone,
  type RemotePost,
  type TimelineCursor,
} from "./remote-post.repository.ts";
import { type ReceiveOutcome, receiveRemotePost } from "./remote-posts.ts";
export { type ReceiveOutcome, receiveRemotePost } from "./remote-posts.ts";

/**
 * The one entry to posts received from other servers (the `remote_posts` table, which only this module
 * writes) for federation's inbox, the pages and the other modules: what a `Create`, `Update` or `Delete`
 * from the author's server changes, the stored post a reply is addressed to, and members' timelines.
 */
export { editRemotePostIfNewer, findRemotePostVersion, type RemotePostEdit, type RemotePostVersion, tombstoneRemotePostsBy } from "./remote-post-edits.repository.ts";
export {
  findRemotePostByIri,
  formatTimelineCursor,
  listTimeline,
  markRemotePostDeleted,
  parseTimelineCursor,
  recordRemotePostTombstone,
  type RemotePost,
  type TimelineCursor,
  type TimelinePage,
} from "./remote-post.repository.ts";

/** A page of a member's home timeline, as the API and the timeline page show it. */
export interface Timeline {
  readonly items: readonly RemotePost[];
  /** The opaque cursor of the next (older) page; null on the last page. */
  readonly next: string | null;
}

/**
 * Remote posts for the API and the pages (a member's home timeline, in one query per page, each post
 * with its author and attachments) and for the inbox, which stores, edits and deletes them
 * (federation/inbox/create.ts, update.ts, delete.ts).
 */
export function createRemotePostsService(deps: { readonly db: Db }) {
  const { db } = deps;
  return {
    /** Live posts of the accounts the member follows (accepted), newest first. */
    async timeline(viewerActorId: number, options: { readonly before?: TimelineCursor; readonly limit: number }): Promise<Timeline> {
      const page = await listTimeline(db, viewerActorId, options);
      return { items: page.items, next: page.next === null ? null : formatTimelineCursor(page.next) };
    },
    /** A `Create`'s post, validated here (bad input is an `invalid` outcome, not an error); a repeat stores nothing. */
    receive: (draft: unknown): Promise<ReceiveOutcome> => receiveRemotePost(db, draft),
    /** The stored post with this IRI and its author, deleted or not. */
    byIri: (iri: string): Promise<RemotePost | undefined> => findRemotePostByIri(db, iri),
    /** Who wrote the post with this IRI, and whether it is deleted; undefined when we never stored it. */
    version: (iri: string): Promise<RemotePostVersion | undefined> => findRemotePostVersion(db, iri),
    /** An `Update` by the author: applied only when newer than what we keep. */
    editIfNewer: (iri: string, authorRemoteActorId: number, edit: RemotePostEdit): Promise<boolean> => editRemotePostIfNewer(db, iri, authorRemoteActorId, edit),
    /** A `Delete` by the author: the post becomes a tombstone; false when it already was one. */
    markDeleted: (iri: string, authorRemoteActorId: number): Promise<boolean> => markRemotePostDeleted(db, iri, authorRemoteActorId),
    /** A `Delete` of a post we never stored: a tombstone, so a late `Create` cannot bring it back. */
    recordTombstone: (iri: string, authorRemoteActorId: number): Promise<boolean> => recordRemotePostTombstone(db, iri, authorRemoteActorId),
  };
}

export type RemotePostsService = ReturnType<typeof createRemotePostsService>;
