import { type DocumentLoader, FetchError, type InboxContext } from "@fedify/fedify";
import { type Accept, Follow, type Reject, type Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { NODE_ACTOR_HANDLE } from "../../server/modules/actors/handle.schema.ts";
import { currentCharter } from "../../server/modules/charter/index.ts";
import { rejectFollow } from "../../server/modules/followers/follows.ts";
import { findPeerByActorIri } from "../../server/modules/peers/index.ts";
import { decideInboundFollow } from "../../server/modules/peers/peer-state.ts";
import { ourFollowAccepted, ourFollowRejected, receiveNodeFollow, theirFollowUndone } from "../../server/modules/peers/peering.ts";
import type { RemoteActor } from "../../server/modules/remote-actors/index.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { buildFollowResponseDraft } from "../follow-responses.ts";
import { backfillFromPeer } from "../peering/backfill.ts";
import { createPeeringPort, isNodeActor, peerDraftOf } from "../peering/peering-port.ts";
import { type GuardedActivity, guardActivity, sameIri } from "./guards.ts";

const logger = getLogger(["commonsnet", "inbox", "peering"]);

/** Answered and undone Follows are ours or theirs, matched in the database: never fetched. */
const noFetch: DocumentLoader = (url) => Promise.reject(new FetchError(url, "Not fetched"));

/**
 * Another node's `Follow` of our node actor: a request to connect (federation/inbox/follow.ts
 * delegates here). Only the node actor of its host (as its NodeInfo says) may peer; then the charter
 * decides: accepted and followed back (open mode, or a listed host), held for an admin's approval
 * (allowlist mode, host not listed), or rejected (a blocked host, which the charter guard usually
 * refuses with 403 before it gets here).
 */
export async function onNodeFollow(ctx: InboxContext<FederationDeps>, follow: GuardedActivity, follower: RemoteActor): Promise<void> {
  const { db, config } = ctx.data;
  const port = createPeeringPort(ctx);
  if (!(await isNodeActor(ctx, follower.iri))) {
    const input = { handle: NODE_ACTOR_HANDLE, followIri: follow.id.href, followerIri: follower.iri, followerInbox: follower.inbox };
    await rejectFollow(db, await buildFollowResponseDraft(ctx, "reject", input));
    logger.info("Rejected Follow {id} of the node actor: {actor} is not the node actor of its host", { id: follow.id.href, actor: follower.iri });
    return;
  }
  const charter = await currentCharter(db, config.registration);
  const draft = peerDraftOf(follower);
  const decision = decideInboundFollow(charter.document, draft.host);
  // A new peer is backfilled when it accepts our follow-back (onNodeAnswer).
  await receiveNodeFollow(db, { peer: draft, followIri: follow.id.href }, decision, port);
  logger.info("Node {host} asked to connect (Follow {id}): {decision} under charter version {version}", {
    host: draft.host,
    id: follow.id.href,
    decision,
    version: charter.version,
  });
}

/**
 * An `Accept` or `Reject` from another node's actor of our node actor's Follow. Returns false when it
 * is not about our node actor's Follow (a member's follow: federation/inbox/accept.ts handles it).
 * After an Accept the peer's directory is backfilled (paged, signed GETs).
 */
export async function onNodeAnswer(ctx: InboxContext<FederationDeps>, answer: Accept | Reject, kind: "accept" | "reject"): Promise<boolean> {
  const guarded = guardActivity(answer, logger);
  if (guarded === null) return false;
  const peer = await findPeerByActorIri(ctx.data.db, guarded.actor.href);
  if (peer === undefined || peer.ourFollowIri === null) return false;
  const embedded = await answer.getObject({ documentLoader: noFetch, contextLoader: ctx.contextLoader, crossOrigin: "trust", suppressError: true }).catch(() => null);
  const nodeActor = ctx.getActorUri(NODE_ACTOR_HANDLE);
  const answersOurs = answer.objectId?.href === peer.ourFollowIri || (embedded instanceof Follow && sameIri(embedded.actorId, nodeActor) && sameIri(embedded.objectId, guarded.actor));
  if (!answersOurs) return false;
  if (kind === "reject") {
    const removed = await ourFollowRejected(ctx.data.db, peer);
    logger.info("Node {host} rejected our Follow {follow}; {removed} of its entries removed", { host: peer.host, follow: peer.ourFollowIri, removed });
    return true;
  }
  const accepted = await ourFollowAccepted(ctx.data.db, peer, answer.objectId?.href === peer.ourFollowIri ? peer.ourFollowIri : null);
  if (accepted === undefined) {
    logger.info("Ignored Accept {id}: our Follow of {host} is not pending", { id: guarded.id.href, host: peer.host });
    return true;
  }
  logger.info("Node {host} accepted our Follow {follow}: backfilling its directory", { host: peer.host, follow: peer.ourFollowIri });
  await backfillFromPeer(ctx, accepted);
  return true;
}

/**
 * Another node undoing its Follow of our node actor (a disconnect, or withdrawing a request).
 * Returns false when the Undo is about something else (federation/inbox/undo.ts handles it).
 */
export async function onNodeUndo(ctx: InboxContext<FederationDeps>, undo: Undo): Promise<boolean> {
  const guarded = guardActivity(undo, logger);
  if (guarded === null || undo.objectId === null) return false;
  const peer = await findPeerByActorIri(ctx.data.db, guarded.actor.href);
  if (peer === undefined || peer.theyFollow === "none") return false;
  const inner = await undo.getObject({ documentLoader: noFetch, contextLoader: ctx.contextLoader, suppressError: true }).catch(() => null);
  const nodeActor = ctx.getActorUri(NODE_ACTOR_HANDLE);
  const undoesTheirs = undo.objectId.href === peer.theirFollowIri || (inner instanceof Follow && sameIri(inner.actorId, guarded.actor) && sameIri(inner.objectId, nodeActor));
  if (!undoesTheirs) return false;
  await theirFollowUndone(ctx.data.db, peer);
  logger.info("Node {host} undid its Follow of our node actor", { host: peer.host });
  return true;
}
