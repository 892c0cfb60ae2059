import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import type { Logger } from "@logtape/logtape";
import type { InteractionKind } from "../../server/modules/interactions/index.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { guardActivity } from "./guards.ts";
import { localNoteOf } from "./create.ts";
import { resolveRemoteActor } from "./remote-actors.ts";

/**
 * A Like or Announce of one of our notes, counted once per activity and once per (kind, note, actor).
 * Only the object's IRI is used: an embedded copy of our own note is never trusted. Likes of notes
 * that are not ours, unknown or deleted are ignored with a log line (project updates and members'
 * notes alike, parsed as the Create handler does).
 */
export async function recordNoteInteraction(
  ctx: InboxContext<FederationDeps>,
  activity: Activity,
  kind: InteractionKind,
  logger: Logger,
): Promise<void> {
  const guarded = guardActivity(activity, logger);
  if (guarded === null) return;
  const noteId = await localNoteOf(ctx, activity.objectId);
  if (noteId === null) {
    logger.info("Ignored {kind} {id} of {object}: not one of our live notes", { kind, id: guarded.id.href, object: activity.objectId?.href });
    return;
  }
  const actor = await resolveRemoteActor(ctx, guarded.actor);
  if (actor === null) {
    logger.info("Ignored {kind} {id}: its actor could not be resolved", { kind, id: guarded.id.href });
    return;
  }
  const outcome = await ctx.data.services.interactions.record({ activityIri: guarded.id.href, kind, noteId, remoteActorId: actor.id });
  if (outcome === "unknown-note") logger.info("Ignored {kind} {id} of an unknown or deleted note {noteId}", { kind, id: guarded.id.href, noteId });
  else logger.debug("{kind} {id}: {outcome}", { kind, id: guarded.id.href, outcome });
}
