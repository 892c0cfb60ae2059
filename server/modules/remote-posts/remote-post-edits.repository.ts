import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";
import type { RemotePostDraft } from "./remote-post.schema.ts";

/**
 * Remote authors editing and deleting what they posted here (replies to our notes, timeline posts):
 * the conditional changes the inbox's Update and Delete handlers need (only the author, only newer
 * edits), beside remote-post.repository.ts, which creates the rows.
 */

export interface RemotePostVersion {
  readonly authorRemoteActorId: number;
  readonly publishedAt: Date;
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
}

export async function findRemotePostVersion(db: DbOrTrx, iri: string): Promise<RemotePostVersion | undefined> {
  const row = await db
    .selectFrom("remote_posts")
    .select(["author_remote_actor_id", "published_at", "edited_at", "deleted_at"])
    .where("iri", "=", iri)
    .executeTakeFirst();
  return row && { authorRemoteActorId: row.author_remote_actor_id, publishedAt: row.published_at, editedAt: row.edited_at, deletedAt: row.deleted_at };
}

export type RemotePostEdit = Pick<RemotePostDraft, "contentHtml" | "summary" | "sensitive" | "attachments" | "url"> & { readonly editedAt: Date };

/**
 * Applies an edit by the post's author only when it is newer than the stored version (Mastodon's
 * rule, process_status_update_service.rb: an Update without a newer `updated` changes no text), so a late or
 * replayed Update never rolls an edit back (docs/security.md#origins, ORD-02). True when it changed.
 */
export async function editRemotePostIfNewer(db: DbOrTrx, iri: string, authorRemoteActorId: number, edit: RemotePostEdit): Promise<boolean> {
  const result = await db
    .updateTable("remote_posts")
    .set({
      content_html: edit.contentHtml,
      summary: edit.summary,
      sensitive: edit.sensitive,
      attachments: jsonb(edit.attachments),
      url: edit.url,
      edited_at: edit.editedAt,
    })
    .where("iri", "=", iri)
    .where("author_remote_actor_id", "=", authorRemoteActorId)
    .where("deleted_at", "is", null)
    .where(sql<boolean>`coalesce(edited_at, published_at) < ${edit.editedAt}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A deleted actor's posts become tombstones, content cleared, like a Delete of each. */
export async function tombstoneRemotePostsBy(db: DbOrTrx, authorRemoteActorId: number): Promise<number> {
  const result = await db
    .updateTable("remote_posts")
    .set({ deleted_at: sql<Date>`now()`, content_html: "", summary: null, attachments: jsonb([]) })
    .where("author_remote_actor_id", "=", authorRemoteActorId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
