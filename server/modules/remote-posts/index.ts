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
