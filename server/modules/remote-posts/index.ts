/**
 * The one entry to posts received from other servers (the `remote_posts` table, which only this module
 * writes) for federation's inbox and the other modules: what a `Create`, `Update` or `Delete` from the
 * author's server changes, and the stored post a reply is addressed to.
 */
export { editRemotePostIfNewer, findRemotePostVersion, type RemotePostEdit, type RemotePostVersion, tombstoneRemotePostsBy } from "./remote-post-edits.repository.ts";
export { findRemotePostByIri, markRemotePostDeleted, recordRemotePostTombstone, type RemotePost } from "./remote-post.repository.ts";
