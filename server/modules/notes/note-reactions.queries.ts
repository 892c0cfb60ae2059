import type { DbOrTrx, RemoteAttachment } from "../../db/database.ts";

/**
 * What the fediverse did with our notes: replies (remote posts stored by the inbox with
 * `reply_to_note_id`) and likes and boosts (`note_interactions`). Read-only here; the inbox and
 * timeline modules write them.
 */

export interface NoteReply {
  readonly iri: string;
  readonly url: string | null;
  /** Sanitised when it was received. */
  readonly contentHtml: string;
  readonly summary: string | null;
  readonly sensitive: boolean;
  readonly attachments: readonly RemoteAttachment[];
  readonly publishedAt: Date;
  readonly editedAt: Date | null;
  readonly author: {
    readonly iri: string;
    /** `user@host` */
    readonly handle: string;
    readonly name: string;
    readonly url: string | null;
    readonly iconUrl: string | null;
  };
}

export interface NoteCounts {
  readonly replies: number;
  readonly likes: number;
  readonly boosts: number;
}

export const NO_COUNTS: NoteCounts = { replies: 0, likes: 0, boosts: 0 };

/** Live replies to a note, oldest first (a conversation reads top to bottom). */
export async function listReplies(db: DbOrTrx, noteId: string, limit = 200): Promise<NoteReply[]> {
  const rows = await db
    .selectFrom("remote_posts")
    .innerJoin("remote_actors", "remote_actors.id", "remote_posts.author_remote_actor_id")
    .select([
      "remote_posts.iri",
      "remote_posts.url",
      "remote_posts.content_html",
      "remote_posts.summary",
      "remote_posts.sensitive",
      "remote_posts.attachments",
      "remote_posts.published_at",
      "remote_posts.edited_at",
      "remote_actors.iri as author_iri",
      "remote_actors.handle as author_handle",
      "remote_actors.name as author_name",
      "remote_actors.url as author_url",
      "remote_actors.icon_url as author_icon_url",
    ])
    .where("remote_posts.reply_to_note_id", "=", noteId)
    .where("remote_posts.deleted_at", "is", null)
    .orderBy("remote_posts.published_at")
    .orderBy("remote_posts.id")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    iri: row.iri,
    url: row.url,
    contentHtml: row.content_html,
    summary: row.summary,
    sensitive: row.sensitive,
    attachments: Array.isArray(row.attachments) ? row.attachments : [],
    publishedAt: row.published_at,
    editedAt: row.edited_at,
    author: { iri: row.author_iri, handle: row.author_handle, name: row.author_name, url: row.author_url, iconUrl: row.author_icon_url },
  }));
}

/** Counts of replies, likes and boosts for each note (notes without any are absent). */
export async function countReactions(db: DbOrTrx, noteIds: readonly string[]): Promise<Map<string, NoteCounts>> {
  const counts = new Map<string, { replies: number; likes: number; boosts: number }>();
  if (noteIds.length === 0) return counts;
  const entry = (id: string) => {
    let c = counts.get(id);
    if (c === undefined) counts.set(id, (c = { replies: 0, likes: 0, boosts: 0 }));
    return c;
  };
  const replies = await db
    .selectFrom("remote_posts")
    .select(["reply_to_note_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("reply_to_note_id", "in", [...noteIds])
    .where("deleted_at", "is", null)
    .groupBy("reply_to_note_id")
    .execute();
  for (const row of replies) if (row.reply_to_note_id !== null) entry(row.reply_to_note_id).replies = Number(row.n);
  const interactions = await db
    .selectFrom("note_interactions")
    .select(["note_id", "kind", (eb) => eb.fn.countAll<number>().as("n")])
    .where("note_id", "in", [...noteIds])
    .groupBy(["note_id", "kind"])
    .execute();
  for (const row of interactions) {
    if (row.kind === "like") entry(row.note_id).likes = Number(row.n);
    else entry(row.note_id).boosts = Number(row.n);
  }
  return counts;
}
