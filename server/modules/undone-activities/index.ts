import type { DbOrTrx } from "../../db/database.ts";
import { rememberUndone, type UndoneActivity, wasUndone } from "./undone-activities.ts";

/** The undone-activities module's entry: what other layers and modules may use. */
export type { UndoneActivity } from "./undone-activities.ts";

/**
 * The one entry to the ids of activities their actors took back (`undone_activities`), for the inbox
 * (federation/inbox/undone-activities.ts): an Undo can overtake the activity it undoes.
 */
export function createUndoneActivitiesService(deps: { readonly db: DbOrTrx }) {
  const { db } = deps;
  return {
    /** Notes the Undo for `keepSeconds`, the senders' retry horizon. */
    remember: (undone: UndoneActivity, keepSeconds: number): Promise<void> => rememberUndone(db, undone, keepSeconds),
    /** Whether the actor undid this activity id within the horizon. */
    wasUndone: (undone: UndoneActivity): Promise<boolean> => wasUndone(db, undone),
  };
}

export type UndoneActivitiesService = ReturnType<typeof createUndoneActivitiesService>;
