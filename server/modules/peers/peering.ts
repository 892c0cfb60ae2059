import type { RegistrationMode } from "../../platform/config.ts";
import type { Db, DbOrTrx } from "../../db/database.ts";
import { DomainError, conflict } from "../../platform/errors.ts";
import { findNodeActor } from "../actors/index.ts";
import { currentCharter } from "../charter/index.ts";
import { charterRefusal, reviseCharter } from "../charter/charter.service.ts";
import { isHostBlocked } from "../charter/peer-policy.ts";
import { removeEntriesFromPeer } from "../directory/index.ts";
import { removeFollowerByPair, upsertFollower } from "../followers/index.ts";
import { commitWithActivities } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import { findRemoteActorByIri } from "../remote-actors/index.ts";
import {
  deletePeer,
  findPeerByActorIri,
  findPeerById,
  markWeFollowAccepted,
  type Peer,
  type PeerDraft,
  setTheyFollow,
  setWeFollow,
  upsertPeer,
} from "./peer.repository.ts";
import { type InboundFollowDecision, withAllowedHost } from "./peer-state.ts";

/**
 * The outbox port of peering (federation/peering/peering-port.ts): the node actor's Follow, its Undo,
 * and its answers to another node's Follow, as drafts. Modules never see vocab objects.
 */
export interface PeeringPort {
  /** A `Follow` of the peer's node actor with a fresh id, to its personal inbox. */
  buildFollow(peer: Peer): Promise<{ readonly followIri: string; readonly draft: ActivityDraft }>;
  buildUndoFollow(peer: Peer, followIri: string): Promise<ActivityDraft>;
  buildFollowResponse(kind: "accept" | "reject", peer: PeerDraft, followIri: string): Promise<ActivityDraft>;
}

/** An admin's request to connect, answered with the peer and whether it is new. */
export interface ConnectResult {
  readonly peer: Peer;
  readonly created: boolean;
}

/**
 * Connects to another node (already resolved from its address): the peer is stored and our node
 * actor's `Follow` commits with it. A host our own charter refuses is refused here too (422), so an
 * admin cannot federate around the rules (edit the charter first). A node that already asked us to
 * connect is approved by this, as with approvePeer. Connecting again to a connected or requested
 * peer changes nothing.
 */
export async function connectPeer(
  db: Db,
  registration: RegistrationMode,
  draft: PeerDraft,
  port: PeeringPort,
  admin: { accountId: number; handle: string } | null = null,
): Promise<ConnectResult> {
  const existing = await findPeerByActorIri(db, draft.actorIri);
  if (existing?.theyFollow === "pending" && existing.theirFollowIri !== null) {
    return { peer: await approvePeer(db, registration, existing.id, port, admin), created: false };
  }
  const refusal = await charterRefusal(db, draft.host);
  if (refusal !== null) throw new DomainError("invalid_input", "invalid_input", `url: ${refusal}; change the charter first.`, [{ path: "url", message: refusal }]);
  const peer = await upsertPeer(db, draft);
  if (peer.weFollow !== "none") return { peer, created: existing === undefined };
  const { followIri, draft: follow } = await port.buildFollow(peer);
  const updated = await commitWithActivities(db, async (trx, emit) => {
    const row = await setWeFollow(trx, peer.id, "pending", followIri);
    await emit(follow);
    return row;
  });
  return { peer: updated ?? peer, created: existing === undefined };
}

/** Another node's Follow of our node actor, verified as coming from that node's actor. */
export interface NodeFollowRequest {
  readonly peer: PeerDraft;
  readonly followIri: string;
}

/**
 * Records another node's `Follow` of our node actor as the charter decided: refused (a `Reject`,
 * nothing kept but the state), held for an admin (allowlist mode, host not listed), or accepted —
 * stored as a follower of the node actor so our directory activities reach it, answered with an
 * `Accept`, and followed back when we do not follow it yet, all in one transaction.
 */
export async function receiveNodeFollow(db: Db, request: NodeFollowRequest, decision: InboundFollowDecision, port: PeeringPort): Promise<Peer | undefined> {
  if (decision === "reject") {
    const reject = await port.buildFollowResponse("reject", request.peer, request.followIri);
    return await commitWithActivities(db, async (trx, emit) => {
      await emit(reject);
      const known = await findPeerByActorIri(trx, request.peer.actorIri);
      return known && (await setTheyFollow(trx, known.id, "none"));
    });
  }
  const peer = await upsertPeer(db, request.peer);
  if (decision === "await-approval") return await setTheyFollow(db, peer.id, "pending", request.followIri);
  return await acceptTheirFollow(db, { ...peer, theirFollowIri: request.followIri }, port);
}

/**
 * An admin approves a node that asked to connect: in allowlist mode its host joins the allowlist as
 * a new charter version ("Approved peer <host>"), then its Follow is accepted and followed back.
 */
export async function approvePeer(db: Db, registration: RegistrationMode, peerId: number, port: PeeringPort, admin: { accountId: number; handle: string } | null): Promise<Peer> {
  const peer = await findPeerById(db, peerId);
  if (peer === undefined) throw new DomainError("not_found", "not_found", "There is no such peer.");
  if (peer.theyFollow !== "pending" || peer.theirFollowIri === null) throw conflict(`${peer.host} has not asked to connect, or is already approved.`);
  const refusal = await charterRefusal(db, peer.host);
  const charter = await currentCharter(db, registration);
  if (refusal !== null && isHostBlocked(charter.document, peer.host)) {
    throw conflict(`${refusal}: ${peer.host} is on the blocklist; remove it there first.`);
  }
  if (refusal !== null) {
    const document = withAllowedHost(charter.document, peer.host);
    const revised = await reviseCharter(db, registration, { ...document, note: `Approved peer ${peer.host}`, basedOn: charter.version }, admin);
    if (revised.outcome === "conflict") throw conflict(revised.message);
  }
  const accepted = await acceptTheirFollow(db, peer, port);
  if (accepted === undefined) throw new DomainError("not_found", "not_found", "The peer was removed meanwhile.");
  return accepted;
}

async function acceptTheirFollow(db: Db, peer: Peer, port: PeeringPort): Promise<Peer | undefined> {
  const followIri = peer.theirFollowIri!;
  const nodeActor = await findNodeActor(db);
  const remote = await findRemoteActorByIri(db, peer.actorIri);
  if (nodeActor === undefined || remote === undefined) throw new Error(`The node actor or the remote actor ${peer.actorIri} is missing`);
  const accept = await port.buildFollowResponse("accept", peer, followIri);
  const followBack = peer.weFollow === "none" ? await port.buildFollow(peer) : undefined;
  return await commitWithActivities(db, async (trx, emit) => {
    await upsertFollower(trx, nodeActor.id, remote.id, followIri);
    let row = await setTheyFollow(trx, peer.id, "accepted", followIri);
    await emit(accept);
    if (followBack !== undefined && row?.weFollow === "none") {
      row = await setWeFollow(trx, peer.id, "pending", followBack.followIri);
      await emit(followBack.draft);
    }
    return row;
  });
}

/**
 * An admin disconnects: our Follow is undone, theirs rejected, the peer forgotten with every entry it
 * gave us (a disconnect removes that peer's entries), in one transaction with the two activities.
 */
export async function disconnectPeer(db: Db, peerId: number, port: PeeringPort): Promise<Peer> {
  const peer = await findPeerById(db, peerId);
  if (peer === undefined) throw new DomainError("not_found", "not_found", "There is no such peer.");
  const undo = peer.weFollow !== "none" && peer.ourFollowIri !== null ? await port.buildUndoFollow(peer, peer.ourFollowIri) : undefined;
  const reject = peer.theyFollow !== "none" && peer.theirFollowIri !== null ? await port.buildFollowResponse("reject", peer, peer.theirFollowIri) : undefined;
  await commitWithActivities(db, async (trx, emit) => {
    if (undo !== undefined) await emit(undo);
    if (reject !== undefined) await emit(reject);
    await forgetPeer(trx, peer);
  });
  return peer;
}

/** The peer accepted our Follow (the exact one we sent, when the Accept names it). */
export async function ourFollowAccepted(db: DbOrTrx, peer: Peer, followIri: string | null): Promise<Peer | undefined> {
  return await markWeFollowAccepted(db, peer.id, followIri);
}

/**
 * The peer rejected our Follow, or ended it: we no longer receive its directory, so its entries go.
 * With neither direction left the peer itself is forgotten.
 */
export async function ourFollowRejected(db: Db, peer: Peer): Promise<number> {
  return await db.transaction().execute(async (trx) => {
    const removed = await removeEntriesFromPeer(trx, peer.id);
    const row = await setWeFollow(trx, peer.id, "none");
    if (row !== undefined && row.theyFollow === "none") await deletePeer(trx, peer.id);
    return removed;
  });
}

/** The peer undid its Follow of our node actor: it no longer receives our directory activities. */
export async function theirFollowUndone(db: Db, peer: Peer): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await removeFollowerOf(trx, peer);
    const row = await setTheyFollow(trx, peer.id, "none");
    if (row !== undefined && row.weFollow === "none") await forgetPeer(trx, peer);
  });
}

async function forgetPeer(trx: DbOrTrx, peer: Peer): Promise<void> {
  await removeFollowerOf(trx, peer);
  await removeEntriesFromPeer(trx, peer.id);
  await deletePeer(trx, peer.id);
}

async function removeFollowerOf(trx: DbOrTrx, peer: Peer): Promise<void> {
  const nodeActor = await findNodeActor(trx);
  const remote = await findRemoteActorByIri(trx, peer.actorIri);
  if (nodeActor !== undefined && remote !== undefined) await removeFollowerByPair(trx, nodeActor.id, remote.id);
}
