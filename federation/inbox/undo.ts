import type { InboxContext } from "@fedify/fedify";
import { Activity, Announce, Follow, Like, type Object as APObject, type Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { RemoteActor } from "../../server/modules/remote-actors/index.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { guardActivity, sameIri } from "./guards.ts";
import { localNoteOf } from "./create.ts";
import { localActorOf } from "./local-objects.ts";

const logger = getLogger(["commonsnet", "inbox", "undo"]);

/** Undone activities are never fetched: Mastodon's Follow and Like ids do not dereference. */
const refuseFetch = async (url: string): Promise<never> => {
  throw new Error(`not fetched: ${url}`);
};

/**
 * `Undo` of a Follow, Like or Announce (Mastodon's undo_*_serializer.rb). Matched by the undone activity's
 * id, else by what it was about (Mastodon's rule, undo.rb); only the actor who made it can undo it.
 * An Undo of something we never stored (Mastodon answers our Reject with one, unfollow_service.rb) is fine; its
 * id is remembered all the same (before routing, federation/inbox/index.ts), in case the undone activity
 * itself is still on its way.
 */
export async function onUndo(ctx: InboxContext<FederationDeps>, undo: Undo): Promise<void> {
  const guarded = guardActivity(undo, logger);
  if (guarded === null || undo.objectId === null) return;
  const actor = await ctx.data.services.remoteActors.byIri(guarded.actor.href);
  if (actor === undefined) {
    logger.debug("Ignored Undo {id} by {actor}: nothing stored for that actor", { id: guarded.id.href, actor: guarded.actor.href });
    return;
  }
  const inner = await undo.getObject({ documentLoader: refuseFetch, contextLoader: ctx.contextLoader, suppressError: true });
  if (inner instanceof Activity && !sameIri(inner.actorId, guarded.actor)) {
    logger.warning("Ignored Undo {id}: it undoes another actor's activity", { id: guarded.id.href });
    return;
  }
  const removed = await undoObject(ctx, actor, undo.objectId, inner);
  logger.info("Undo {id} by {actor}: {removed}", { id: guarded.id.href, actor: actor.handle, removed });
}

async function undoObject(ctx: InboxContext<FederationDeps>, actor: RemoteActor, objectIri: URL, inner: APObject | null): Promise<string> {
  if (inner === null || inner instanceof Follow) {
    if ((await ctx.data.services.followers.undoFollow(actor.id, objectIri.href)) > 0) return "follow removed";
    const followed = inner instanceof Follow ? await localActorOf(ctx, inner.objectId) : undefined;
    if (followed !== undefined && (await ctx.data.services.followers.undoFollowByPair(followed.id, actor.id)) > 0) return "follow removed (matched by pair)";
    if (inner instanceof Follow) return "no such follow";
  }
  if (inner === null || inner instanceof Like || inner instanceof Announce) {
    if ((await ctx.data.services.interactions.undoActivity(actor.id, objectIri.href)) > 0) return "interaction removed";
    if (inner === null) return "nothing matched";
    const noteId = await localNoteOf(ctx, inner.objectId);
    const kind = inner instanceof Like ? "like" : "announce";
    if (noteId !== null && (await ctx.data.services.interactions.undo(kind, noteId, actor.id)) > 0) return `${kind} removed (matched by note)`;
    return `no such ${kind}`;
  }
  return `unsupported object ${inner.constructor.name}`;
}
