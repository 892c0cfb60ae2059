import type { DbOrTrx } from "../../db/database.ts";

/** Writes of notes authored here. Ids are UUIDv7 and never reused: a deleted note stays as a tombstone. */

export interface NewNote {
  readonly id: string;
  readonly authorActorId: number;
  readonly contentSource: string;
  readonly contentHtml: string;
  readonly publishedAt: Date;
  /** Set for a member's reply to a post elsewhere; project updates have none. */
  readonly inReplyToIri?: string;
}

export async function insertNote(db: DbOrTrx, note: NewNote): Promise<void> {
  await db
    .insertInto("notes")
    .values({
      id: note.id,
      author_actor_id: note.authorActorId,
      content_source: note.contentSource,
      content_html: note.contentHtml,
      in_reply_to_iri: note.inReplyToIri ?? null,
      published_at: note.publishedAt,
    })
    .execute();
}

/** Sets the note's images, in order (at most four, positions 0–3). */
export async function replaceNoteMedia(db: DbOrTrx, noteId: string, mediaIds: readonly string[]): Promise<void> {
  await db.deleteFrom("note_media").where("note_id", "=", noteId).execute();
  if (mediaIds.length === 0) return;
  await db
    .insertInto("note_media")
    .values(mediaIds.map((mediaId, position) => ({ note_id: noteId, media_id: mediaId, position })))
    .execute();
}

export async function updateNoteContent(
  db: DbOrTrx,
  id: string,
  content: { contentSource: string; contentHtml: string; editedAt: Date },
): Promise<void> {
  await db
    .updateTable("notes")
    .set({ content_source: content.contentSource, content_html: content.contentHtml, edited_at: content.editedAt })
    .where("id", "=", id)
    .execute();
}

/** Keeps the row (its id answers 410 forever) but not its text, images or pin. */
export async function tombstoneNote(db: DbOrTrx, id: string, deletedAt: Date): Promise<void> {
  await db
    .updateTable("notes")
    .set({ deleted_at: deletedAt, pinned_at: null, content_source: "", content_html: "" })
    .where("id", "=", id)
    .execute();
  await db.deleteFrom("note_media").where("note_id", "=", id).execute();
}

export async function setNotePinned(db: DbOrTrx, id: string, pinnedAt: Date | null): Promise<void> {
  await db.updateTable("notes").set({ pinned_at: pinnedAt }).where("id", "=", id).execute();
}
