import type { Db } from "../../db/database.ts";
import { findMemberNote, type MemberNote } from "../notes/index.ts";
import { postReply, type ReplyAuthor, type ReplyPort } from "./replies.ts";
import type { ReplyInput } from "./reply.schema.ts";

/** The replies module's entry: what other layers and modules may use. */
export type { ReplyAuthor, ReplyParent, ReplyPort } from "./replies.ts";

/** What the replies service is made with, once, when the node starts. */
export interface RepliesServiceDeps {
  readonly db: Db;
  readonly publicUrl: URL;
  /** The outbox port: federation/ finds posts we have not stored and turns a reply into its `Create(Note)` drafts. */
  readonly port: ReplyPort;
}

/**
 * The one entry to members' replies to posts on other servers, for the API and the pages. Replies
 * are member notes: the notes module stores them, in the transaction that commits their `Create`.
 */
export function createRepliesService(deps: RepliesServiceDeps) {
  const { db, publicUrl, port } = deps;
  return {
    post: (author: ReplyAuthor, input: ReplyInput): Promise<MemberNote> => postReply(db, publicUrl, author, input, port),
    /** A member's reply by its author's handle and id, deleted or not. */
    find: (authorHandle: string, id: string): Promise<MemberNote | undefined> => findMemberNote(db, authorHandle, id),
  };
}

export type RepliesService = ReturnType<typeof createRepliesService>;
