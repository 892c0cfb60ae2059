import type { Activity } from "@fedify/vocab";
import type { Logger } from "@logtape/logtape";

/** What every inbox handler may rely on once the guards pass. */
export interface GuardedActivity {
  readonly id: URL;
  readonly actor: URL;
}

/**
 * Checks every handler applies before touching the database: an id and an actor, and the id on the
 * actor's origin (G6 in docs/security.md: an activity id minted on another server could shadow that
 * server's genuine activity in the idempotency cache, or claim its identity). The inbox guard
 * middleware already drops such activities before Fedify sees them; this is the listener-side
 * check for anything that reaches a handler another way. Returns null (and logs) to ignore.
 */
export function guardActivity(activity: Activity, logger: Logger): GuardedActivity | null {
  const id = activity.id;
  const actor = activity.actorId;
  if (id === null || actor === null) {
    logger.info("Ignored a {type} without an id or an actor", { type: activity.constructor.name });
    return null;
  }
  if (id.origin !== actor.origin) {
    logger.warning("Ignored {id}: its id is not on its actor's origin ({actor})", { id: id.href, actor: actor.href });
    return null;
  }
  return { id, actor };
}

export function sameIri(a: URL | null | undefined, b: URL | null | undefined): boolean {
  return a != null && b != null && a.href === b.href;
}
