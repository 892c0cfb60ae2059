import type { InboxContext } from "@fedify/fedify";
import type { Delete } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { guardActivity } from "./guards.ts";

const logger = getLogger(["commonsnet", "inbox", "delete"]);

/**
 * Remote `Delete` (app/lib/activitypub/activity/delete.rb): of the actor itself (`object` = actor) the actor is
 * forgotten — follows, likes and boosts removed, posts tombstoned; of a post, only its author may
 * delete it (docs/security.md#origins, ORI-02) and it becomes a tombstone. A Delete of a post we never stored
 * leaves a tombstone so that a late Create cannot bring it back (ORD-01). Nothing is fetched.
 */
export async function onDelete(ctx: InboxContext<FederationDeps>, del: Delete): Promise<void> {
  const guarded = guardActivity(del, logger);
  const objectIri = del.objectId;
  if (guarded === null || objectIri === null) return;
  if (objectIri.href === guarded.actor.href) {
    const deleted = await ctx.data.services.remoteActors.delete(guarded.actor.href);
    logger.info("{actor} deleted itself: {deleted}", { actor: guarded.actor.href, deleted: deleted ?? "unknown actor, nothing stored" });
    return;
  }
  if (objectIri.origin !== guarded.actor.origin) {
    logger.warning("Ignored Delete {id}: {object} is not on its actor's origin", { id: guarded.id.href, object: objectIri.href });
    return;
  }
  const author = await ctx.data.services.remoteActors.byIri(guarded.actor.href);
  if (author === undefined) {
    logger.debug("Ignored Delete {id}: nothing stored from {actor}", { id: guarded.id.href, actor: guarded.actor.href });
    return;
  }
  const version = await ctx.data.services.remotePosts.version(objectIri.href);
  if (version === undefined) {
    const recorded = await ctx.data.services.remotePosts.recordTombstone(objectIri.href, author.id);
    logger.info("Delete {id} of a post we never stored: tombstone {recorded}", { id: guarded.id.href, recorded });
    return;
  }
  if (version.authorRemoteActorId !== author.id) {
    logger.warning("Ignored Delete {id}: {actor} is not the author of {object}", { id: guarded.id.href, actor: guarded.actor.href, object: objectIri.href });
    return;
  }
  const deleted = await ctx.data.services.remotePosts.markDeleted(objectIri.href, author.id);
  logger.info("Delete {id}: post {object} {outcome}", { id: guarded.id.href, object: objectIri.href, outcome: deleted ? "deleted" : "was already deleted" });
}
