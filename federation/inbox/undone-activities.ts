import type { InboxContext } from "@fedify/fedify";
import type { Activity, Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { guardActivity } from "./guards.ts";

const logger = getLogger(["commonsnet", "inbox", "undo"]);

/**
 * How long an undone id is remembered: as long as a sender may still be retrying the original.
 * Fedify's circuit breaker holds deliveries to an unreachable host for 7 days (heldActivityTtl, as
 * federation/create-federation.ts sets it for us too), longer than Mastodon's retries (about 2–3 days,
 * app/workers/activitypub/delivery_worker.rb), so a Follow can arrive a week after its Undo.
 */
export const UNDONE_MEMORY_SECONDS = 7 * 24 * 3600;

/**
 * Notes the id an Undo takes back, whether or not we hold the activity yet: deliveries are not
 * ordered, so the Undo may overtake it. Only an id on the Undo's own origin is noted (a server
 * cannot take back another server's activities), and only for the Undo's actor.
 */
export async function rememberUndoneActivity(ctx: InboxContext<FederationDeps>, undo: Undo): Promise<void> {
  const guarded = guardActivity(undo, logger);
  const objectId = undo.objectId;
  if (guarded === null || objectId === null || objectId.origin !== guarded.actor.origin) return;
  await ctx.data.services.undoneActivities.remember({ activityIri: objectId.href, actorIri: guarded.actor.href }, UNDONE_MEMORY_SECONDS);
}

/**
 * Wraps an inbox listener so that an activity its actor has already undone is ignored: the Undo
 * came first (between the sender's retries), so acting on the late original would bring back what
 * the actor took back, e.g. a follower who unfollowed.
 */
export function unlessUndone<T extends Activity>(
  listener: (ctx: InboxContext<FederationDeps>, activity: T) => Promise<void>,
): (ctx: InboxContext<FederationDeps>, activity: T) => Promise<void> {
  return async (ctx, activity) => {
    const { id, actorId } = activity;
    if (id !== null && actorId !== null && (await ctx.data.services.undoneActivities.wasUndone({ activityIri: id.href, actorIri: actorId.href }))) {
      logger.info("Ignored {type} {id}: {actor} undid it before it arrived", { type: activity.constructor.name, id: id.href, actor: actorId.href });
      return;
    }
    await listener(ctx, activity);
  };
}
