import type { DbOrTrx } from "../../db/database.ts";
import { type InteractionDraft, type InteractionKind, recordInteraction, type RecordOutcome, removeInteraction, removeInteractionByActivityIri } from "./interaction.repository.ts";

/** The interactions module's entry: what other layers and modules may use. */
export {
  type InteractionDraft,
  type InteractionKind,
  type RecordOutcome,
  recordInteraction,
  removeAllInteractionsOf,
  removeInteraction,
  removeInteractionByActivityIri,
} from "./interaction.repository.ts";

/**
 * The one entry to likes and boosts of this node's notes (`note_interactions`, which only this module
 * writes). Only the inbox changes them, through this service (federation/inbox/note-interactions.ts, undo.ts).
 * Counts are read with the notes.
 */
export function createInteractionsService(deps: { readonly db: DbOrTrx }) {
  const { db } = deps;
  return {
    /** A `Like` or `Announce` of a live note: recorded once, however often it is delivered. */
    record: (draft: InteractionDraft): Promise<RecordOutcome> => recordInteraction(db, draft),
    /** `Undo` by the activity's id, only by the actor who made it. */
    undoActivity: (remoteActorId: number, activityIri: string): Promise<number> => removeInteractionByActivityIri(db, remoteActorId, activityIri),
    /** `Undo` whose activity id we do not know: by (kind, note, actor). */
    undo: (kind: InteractionKind, noteId: string, remoteActorId: number): Promise<number> => removeInteraction(db, kind, noteId, remoteActorId),
  };
}

export type InteractionsService = ReturnType<typeof createInteractionsService>;
