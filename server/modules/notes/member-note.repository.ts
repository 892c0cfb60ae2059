import type { DbOrTrx } from "../../db/database.ts";
import { insertNote, type NewNote } from "./note.repository.ts";

/**
 * Notes members write in reply to posts on other servers: rows of `notes` with `in_reply_to_iri`
 * set (project updates are the rows without it). The replies module composes them and commits
 * them with their `Create`; they are stored here, with every other write of `notes`.
 */

export interface MemberNote {
  readonly id: string;
  readonly authorActorId: number;
  readonly authorHandle: string;
  readonly contentSource: string;
  readonly contentHtml: string;
  readonly inReplyToIri: string;
  readonly publishedAt: Date;
  readonly deletedAt: Date | null;
}

/** A member's reply: a row of `notes` with `in_reply_to_iri` set. */
export async function insertMemberNote(db: DbOrTrx, note: NewNote & { readonly inReplyToIri: string }): Promise<void> {
  await insertNote(db, note);
}

/** A member's reply by its author's handle and id (deleted or not); undefined for anything else. */
export async function findMemberNote(db: DbOrTrx, handle: string, id: string): Promise<MemberNote | undefined> {
  const row = await db
    .selectFrom("notes as n")
    .innerJoin("actors as a", "a.id", "n.author_actor_id")
    .select(["n.id", "n.author_actor_id", "a.handle", "n.content_source", "n.content_html", "n.in_reply_to_iri", "n.published_at", "n.deleted_at"])
    .where("n.id", "=", id)
    .where("a.handle", "=", handle)
    .where("a.kind", "=", "person")
    .where("n.in_reply_to_iri", "is not", null)
    .executeTakeFirst();
  if (row === undefined || row.in_reply_to_iri === null) return undefined;
  return {
    id: row.id,
    authorActorId: row.author_actor_id,
    authorHandle: row.handle,
    contentSource: row.content_source,
    contentHtml: row.content_html,
    inReplyToIri: row.in_reply_to_iri,
    publishedAt: row.published_at,
    deletedAt: row.deleted_at,
  };
}

/** Whether a live note of this local author has this id: replies to it are kept as its comments. */
export async function isLiveLocalNote(db: DbOrTrx, authorHandle: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom("notes as n")
    .innerJoin("actors as a", "a.id", "n.author_actor_id")
    .select("n.id")
    .where("n.id", "=", id)
    .where("a.handle", "=", authorHandle)
    .where("n.deleted_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}
