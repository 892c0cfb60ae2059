import { sql } from "kysely";
import type { DbOrTrx, RemoteAttachment } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";
import type { RemotePostDraft } from "./remote-post.schema.ts";

/** A stored remote post with its author, as timelines and reply forms show it. */
export interface RemotePost {
  readonly id: number;
  readonly iri: string;
  readonly url: string | null;
  readonly inReplyToIri: string | null;
  readonly replyToNoteId: string | null;
  /** Sanitised when it was received. */
  readonly contentHtml: string;
  readonly summary: string | null;
  readonly sensitive: boolean;
  readonly attachments: readonly RemoteAttachment[];
  readonly publishedAt: Date;
  readonly deletedAt: Date | null;
  readonly author: {
    readonly id: number;
    readonly iri: string;
    /** `user@host` */
    readonly handle: string;
    readonly name: string;
    readonly url: string | null;
    readonly iconUrl: string | null;
    readonly inbox: string;
    readonly sharedInbox: string | null;
  };
}

function postQuery(db: DbOrTrx) {
  return db
    .selectFrom("remote_posts as p")
    .innerJoin("remote_actors as a", "a.id", "p.author_remote_actor_id")
    .select([
      "p.id",
      "p.iri",
      "p.url",
      "p.in_reply_to_iri",
      "p.reply_to_note_id",
      "p.content_html",
      "p.summary",
      "p.sensitive",
      "p.attachments",
      "p.published_at",
      "p.deleted_at",
      "a.id as author_id",
      "a.iri as author_iri",
      "a.handle as author_handle",
      "a.name as author_name",
      "a.url as author_url",
      "a.icon_url as author_icon_url",
      "a.inbox as author_inbox",
      "a.shared_inbox as author_shared_inbox",
    ]);
}

type PostRow = Awaited<ReturnType<ReturnType<typeof postQuery>["executeTakeFirstOrThrow"]>>;

function rowToPost(row: PostRow): RemotePost {
  return {
    id: row.id,
    iri: row.iri,
    url: row.url,
    inReplyToIri: row.in_reply_to_iri,
    replyToNoteId: row.reply_to_note_id,
    contentHtml: row.content_html,
    summary: row.summary,
    sensitive: row.sensitive,
    attachments: Array.isArray(row.attachments) ? (row.attachments as RemoteAttachment[]) : [],
    publishedAt: row.published_at,
    deletedAt: row.deleted_at,
    author: {
      id: row.author_id,
      iri: row.author_iri,
      handle: row.author_handle,
      name: row.author_name,
      url: row.author_url,
      iconUrl: row.author_icon_url,
      inbox: row.author_inbox,
      sharedInbox: row.author_shared_inbox,
    },
  };
}

/** Stores a post once: the IRI is unique, so a repeated delivery returns null and changes nothing. */
export async function insertRemotePost(db: DbOrTrx, draft: RemotePostDraft): Promise<number | null> {
  const row = await db
    .insertInto("remote_posts")
    .values({
      iri: draft.iri,
      author_remote_actor_id: draft.authorRemoteActorId,
      in_reply_to_iri: draft.inReplyToIri,
      reply_to_note_id: draft.replyToNoteId,
      url: draft.url,
      content_html: draft.contentHtml,
      summary: draft.summary,
      sensitive: draft.sensitive,
      attachments: jsonb(draft.attachments),
      published_at: draft.publishedAt,
    })
    .onConflict((oc) => oc.column("iri").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A stored post by IRI, deleted (a tombstone) or not. */
export async function findRemotePostByIri(db: DbOrTrx, iri: string): Promise<RemotePost | undefined> {
  const row = await postQuery(db).where("p.iri", "=", iri).executeTakeFirst();
  return row && rowToPost(row);
}

/**
 * A remote `Delete` by the post's author: the row stays as a tombstone without its content, so the
 * IRI is never created again (Mastodon's create.rb, delete.rb). True when a live post was deleted.
 */
export async function markRemotePostDeleted(db: DbOrTrx, iri: string, authorRemoteActorId: number): Promise<boolean> {
  const result = await db
    .updateTable("remote_posts")
    .set({ deleted_at: sql<Date>`now()`, content_html: "", summary: null, attachments: jsonb([]) })
    .where("iri", "=", iri)
    .where("author_remote_actor_id", "=", authorRemoteActorId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * A `Delete` of a post we never stored (it may arrive before its `Create`): an empty tombstone row
 * keeps the IRI from being created later, as Mastodon's Tombstone does (delete.rb). Nothing happens
 * when the IRI is already stored (use markRemotePostDeleted for that). True when recorded.
 */
export async function recordRemotePostTombstone(db: DbOrTrx, iri: string, authorRemoteActorId: number): Promise<boolean> {
  const row = await db
    .insertInto("remote_posts")
    .values({
      iri,
      author_remote_actor_id: authorRemoteActorId,
      content_html: "",
      published_at: sql<Date>`now()`,
      deleted_at: sql<Date>`now()`,
    })
    .onConflict((oc) => oc.column("iri").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Where a timeline page ends: the last item's publication time and row id. */
export interface TimelineCursor {
  readonly publishedAt: Date;
  readonly id: number;
}

export interface TimelinePage {
  readonly items: readonly RemotePost[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly next: TimelineCursor | null;
}

/**
 * A member's home timeline: live posts of the accounts they follow (accepted), newest first, keyset
 * paged on (published, id) so new arrivals never shift a page.
 */
export async function listTimeline(
  db: DbOrTrx,
  viewerActorId: number,
  options: { readonly before?: TimelineCursor; readonly limit: number },
): Promise<TimelinePage> {
  let query = postQuery(db)
    .innerJoin("following as f", (join) =>
      join.onRef("f.remote_actor_id", "=", "p.author_remote_actor_id").on("f.local_actor_id", "=", viewerActorId).on("f.state", "=", "accepted"),
    )
    .where("p.deleted_at", "is", null)
    .where("a.deleted_at", "is", null);
  const before = options.before;
  if (before !== undefined) {
    query = query.where((eb) => eb(eb.refTuple("p.published_at", "p.id"), "<", eb.tuple(before.publishedAt, before.id)));
  }
  const rows = await query.orderBy("p.published_at", "desc").orderBy("p.id", "desc").limit(options.limit + 1).execute();
  const items = rows.slice(0, options.limit).map(rowToPost);
  const last = items[items.length - 1];
  return { items, next: rows.length > options.limit && last !== undefined ? { publishedAt: last.publishedAt, id: last.id } : null };
}

/** `<epoch ms>_<id>`: opaque to clients, exact for the keyset. */
export function formatTimelineCursor(cursor: TimelineCursor): string {
  return `${cursor.publishedAt.getTime()}_${cursor.id}`;
}

export function parseTimelineCursor(value: string): TimelineCursor | null {
  const match = /^(-?\d{1,16})_(\d{1,15})$/.exec(value);
  if (match === null) return null;
  const publishedAt = new Date(Number(match[1]));
  const id = Number(match[2]);
  return Number.isNaN(publishedAt.getTime()) || !Number.isSafeInteger(id) ? null : { publishedAt, id };
}
