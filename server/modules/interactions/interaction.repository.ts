import { sql } from "kysely";
import type { DbOrTrx, NoteInteractionTable } from "../../db/database.ts";

export type InteractionKind = NoteInteractionTable["kind"];

export interface InteractionDraft {
  /** The Like or Announce activity's id (unique: a redelivery changes nothing). */
  readonly activityIri: string;
  readonly kind: InteractionKind;
  readonly noteId: string;
  readonly remoteActorId: number;
}

/** "duplicate" covers both a redelivered activity and a second like of the same note by the same actor. */
export type RecordOutcome = "recorded" | "duplicate" | "unknown-note";

/** A like or boost of one of our notes; notes that do not exist or were deleted take none. */
export async function recordInteraction(db: DbOrTrx, draft: InteractionDraft): Promise<RecordOutcome> {
  // One statement for the common case: insert only if the note is live, skip a repeat of the activity.
  const row = await db
    .insertInto("note_interactions")
    .columns(["activity_iri", "kind", "note_id", "remote_actor_id"])
    .expression((eb) =>
      eb
        .selectFrom("notes")
        .select([
          sql<string>`${draft.activityIri}::text`.as("activity_iri"),
          sql<InteractionKind>`${draft.kind}::text`.as("kind"),
          "notes.id",
          sql<number>`${draft.remoteActorId}::bigint`.as("remote_actor_id"),
        ])
        .where("notes.id", "=", draft.noteId)
        .where("notes.deleted_at", "is", null),
    )
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (row !== undefined) return "recorded";
  const note = await db.selectFrom("notes").select("id").where("id", "=", draft.noteId).where("deleted_at", "is", null).executeTakeFirst();
  return note === undefined ? "unknown-note" : "duplicate";
}

/** Undo matched by the Like/Announce id; only the actor who made it may undo it. */
export async function removeInteractionByActivityIri(db: DbOrTrx, remoteActorId: number, activityIri: string): Promise<number> {
  const result = await db
    .deleteFrom("note_interactions")
    .where("remote_actor_id", "=", remoteActorId)
    .where("activity_iri", "=", activityIri)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Undo whose Like/Announce id we do not know: matched by (kind, note, actor), as there is one at most. */
export async function removeInteraction(db: DbOrTrx, kind: InteractionKind, noteId: string, remoteActorId: number): Promise<number> {
  const result = await db
    .deleteFrom("note_interactions")
    .where("kind", "=", kind)
    .where("note_id", "=", noteId)
    .where("remote_actor_id", "=", remoteActorId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A deleted remote actor's likes and boosts no longer count. */
export async function removeAllInteractionsOf(db: DbOrTrx, remoteActorId: number): Promise<number> {
  const result = await db.deleteFrom("note_interactions").where("remote_actor_id", "=", remoteActorId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
