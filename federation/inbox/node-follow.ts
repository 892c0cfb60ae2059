import type { InboxContext } from "@fedify/fedify";
import type { Accept, Follow, Reject, Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { NODE_ACTOR_HANDLE } from "../../server/modules/actors/handle.schema.ts";
import type { Peer } from "../../server/modules/peers/index.ts";
import { decideInboundFollow } from "../../server/modules/peers/peer-state.ts";
import type { RemoteActor } from "../../server/modules/remote-actors/index.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { buildFollowResponseDraft } from "../follow-responses.ts";
import { backfillFromPeer } from "../peering/backfill.ts";
import { isNodeActor, peerDraftOf } from "../peering/peering-port.ts";
import { type GuardedActivity, guardActivity } from "./guards.ts";
import { resolveRemoteActor } from "./remote-actors.ts";

const logger = getLogger(["commonsnet", "inbox", "peering"]);

/**
 * Another node's `Follow` of our node actor: a request to connect. Only the node actor of its host
 * (as its NodeInfo says) may peer; then the charter decides: accepted and followed back (open mode, or
 * a listed host), held for an admin's approval (allowlist mode, host not listed), or rejected (a
 * blocked host, which the charter guard usually refuses with 403 before it gets here).
 */
export async function onNodeFollow(ctx: InboxContext<FederationDeps>, follow: Follow): Promise<void> {
  const guarded = guardActivity(follow, logger);
  if (guarded === null) return;
  const follower = await resolveRemoteActor(ctx, guarded.actor);
  if (follower === null) {
    logger.info("Ignored Follow {id}: its actor {actor} could not be resolved", { id: guarded.id.href, actor: guarded.actor.href });
    return;
  }
  await connectionRequested(ctx, guarded, follower);
}

async function connectionRequested(ctx: InboxContext<FederationDeps>, follow: GuardedActivity, follower: RemoteActor): Promise<void> {
  const { peers, charter: charters, followers } = ctx.data.services;
  if (!(await isNodeActor(ctx, follower.iri))) {
    const input = { handle: NODE_ACTOR_HANDLE, followIri: follow.id.href, followerIri: follower.iri, followerInbox: follower.inbox };
    await followers.reject(await buildFollowResponseDraft(ctx, "reject", input));
    logger.info("Rejected Follow {id} of the node actor: {actor} is not the node actor of its host", { id: follow.id.href, actor: follower.iri });
    return;
  }
  const charter = await charters.current();
  const draft = peerDraftOf(follower);
  const decision = decideInboundFollow(charter.document, draft.host);
  // A new peer is backfilled when it accepts our follow-back (onNodeAccept).
  await peers.followReceived({ peer: draft, followIri: follow.id.href }, decision);
  logger.info("Node {host} asked to connect (Follow {id}): {decision} under charter version {version}", {
    host: draft.host,
    id: follow.id.href,
    decision,
    version: charter.version,
  });
}

/** A peer's `Reject` of our node actor's Follow (federation/inbox/targets.ts matched it): its entries go. */
export async function onNodeReject(ctx: InboxContext<FederationDeps>, _reject: Reject, peer: Peer): Promise<void> {
  const removed = await ctx.data.services.peers.ourFollowRejected(peer);
  logger.info("Node {host} rejected our Follow {follow}; {removed} of its entries removed", { host: peer.host, follow: peer.ourFollowIri, removed });
}

/** A peer's `Accept` of our node actor's Follow: its directory is then backfilled (paged, signed GETs). */
export async function onNodeAccept(ctx: InboxContext<FederationDeps>, accept: Accept, peer: Peer): Promise<void> {
  const accepted = await ctx.data.services.peers.ourFollowAccepted(peer, accept.objectId?.href === peer.ourFollowIri ? peer.ourFollowIri : null);
  if (accepted === undefined) {
    logger.info("Ignored Accept {id}: our Follow of {host} is not pending", { id: accept.id?.href, host: peer.host });
    return;
  }
  logger.info("Node {host} accepted our Follow {follow}: backfilling its directory", { host: peer.host, follow: peer.ourFollowIri });
  await backfillFromPeer(ctx, accepted);
}

/** Another node undoing its Follow of our node actor (a disconnect, or withdrawing a request). */
export async function onNodeUndo(ctx: InboxContext<FederationDeps>, _undo: Undo, peer: Peer): Promise<void> {
  await ctx.data.services.peers.theirFollowUndone(peer);
  logger.info("Node {host} undid its Follow of our node actor", { host: peer.host });
}
