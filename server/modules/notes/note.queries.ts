import type { Selectable } from "kysely";
import type { DbOrTrx, NoteTable } from "../../db/database.ts";

/** A note as stored (a project's update when its author is a group actor and it replies to nothing). */
export interface NoteRecord {
  readonly id: string;
  readonly authorActorId: number;
  readonly contentSource: string;
  readonly contentHtml: string;
  readonly publishedAt: Date;
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
  readonly pinnedAt: Date | null;
}

function rowToRecord(row: Selectable<NoteTable>): NoteRecord {
  return {
    id: row.id,
    authorActorId: row.author_actor_id,
    contentSource: row.content_source,
    contentHtml: row.content_html,
    publishedAt: row.published_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    pinnedAt: row.pinned_at,
  };
}

/** An update of the project, deleted or not; undefined when the id is another actor's or unknown. */
export async function findUpdateRecord(db: DbOrTrx, projectActorId: number, id: string): Promise<NoteRecord | undefined> {
  const row = await db
    .selectFrom("notes")
    .selectAll()
    .where("id", "=", id)
    .where("author_actor_id", "=", projectActorId)
    .where("in_reply_to_iri", "is", null)
    .executeTakeFirst();
  return row && rowToRecord(row);
}

/**
 * Live updates of a project, newest first; `pinnedFirst` puts the pinned one on top (project page).
 * `before` pages by id: UUIDv7 ids sort by creation time.
 */
export async function listUpdateRecords(
  db: DbOrTrx,
  projectActorId: number,
  options: { limit: number; before?: string; pinnedFirst?: boolean },
): Promise<NoteRecord[]> {
  let query = db
    .selectFrom("notes")
    .selectAll()
    .where("author_actor_id", "=", projectActorId)
    .where("in_reply_to_iri", "is", null)
    .where("deleted_at", "is", null);
  if (options.before !== undefined) query = query.where("id", "<", options.before);
  if (options.pinnedFirst) query = query.orderBy((eb) => eb("pinned_at", "is not", null), "desc");
  const rows = await query.orderBy("id", "desc").limit(options.limit).execute();
  return rows.map(rowToRecord);
}

export async function countLiveUpdates(db: DbOrTrx, projectActorId: number): Promise<number> {
  const row = await db
    .selectFrom("notes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("author_actor_id", "=", projectActorId)
    .where("in_reply_to_iri", "is", null)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findPinnedUpdateRecords(db: DbOrTrx, projectActorId: number): Promise<NoteRecord[]> {
  const rows = await db
    .selectFrom("notes")
    .selectAll()
    .where("author_actor_id", "=", projectActorId)
    .where("pinned_at", "is not", null)
    .where("deleted_at", "is", null)
    .orderBy("pinned_at", "desc")
    .execute();
  return rows.map(rowToRecord);
}

/** Media ids of each note, in position order. */
export async function listNoteMediaIds(db: DbOrTrx, noteIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (noteIds.length === 0) return result;
  const rows = await db
    .selectFrom("note_media")
    .select(["note_id", "media_id"])
    .where("note_id", "in", [...noteIds])
    .orderBy("note_id")
    .orderBy("position")
    .execute();
  for (const row of rows) result.set(row.note_id, [...(result.get(row.note_id) ?? []), row.media_id]);
  return result;
}

/**
 * Live project updates whose content links the hashtag page `tagHref` (exactly as rendered), newest
 * first, with their project's handle.
 */
export async function listUpdateRecordsLinking(db: DbOrTrx, tagHref: string, limit: number): Promise<(NoteRecord & { projectHandle: string })[]> {
  const needle = `href="${tagHref}"`.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .selectFrom("notes")
    .innerJoin("actors", "actors.id", "notes.author_actor_id")
    .selectAll("notes")
    .select("actors.handle")
    .where("actors.kind", "=", "group")
    .where("notes.in_reply_to_iri", "is", null)
    .where("notes.deleted_at", "is", null)
    .where("notes.content_html", "like", `%${needle}%`)
    .orderBy("notes.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...rowToRecord(row), projectHandle: row.handle }));
}
