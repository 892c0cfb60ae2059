import type { Db } from "../../db/database.ts";
import { formatTimelineCursor, listTimeline, type RemotePost, type TimelineCursor } from "./remote-post.repository.ts";
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
 * The reading side of remote posts for the API and the pages: a member's home timeline, in one query
 * per page (each post carries its author and attachments). The inbox stores and edits posts through
 * the functions above: federation/ has no services object.
 */
export function createRemotePostsService(deps: { readonly db: Db }) {
  const { db } = deps;
  return {
    /** Live posts of the accounts the member follows (accepted), newest first. */
    async timeline(viewerActorId: number, options: { readonly before?: TimelineCursor; readonly limit: number }): Promise<Timeline> {
      const page = await listTimeline(db, viewerActorId, options);
      return { items: page.items, next: page.next === null ? null : formatTimelineCursor(page.next) };
    },
  };
}

export type RemotePostsService = ReturnType<typeof createRemotePostsService>;
