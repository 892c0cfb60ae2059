/** The peers module's entry: what other layers and modules may use. */
import type { Db } from "../../db/database.ts";
import type { RegistrationMode } from "../../platform/config.ts";
import { findPeerByActorIri, listPeers, type Peer, type PeerDraft } from "./peer.repository.ts";
import { type InboundFollowDecision, type PeerState, peerState } from "./peer-state.ts";
import {
  approvePeer,
  type ConnectResult,
  connectPeer,
  disconnectPeer,
  type NodeFollowRequest,
  ourFollowAccepted,
  ourFollowRejected,
  type PeeringPort,
  receiveNodeFollow,
  theirFollowUndone,
} from "./peering.ts";

// The inbox and the directory's publishers find peers with the database (or transaction) they hold.
export { findPeerByActorIri, listFollowingPeers, type Peer, type PeerDraft } from "./peer.repository.ts";
export type { ConnectResult, PeeringPort } from "./peering.ts";
export { PEER_STATES, type PeerState } from "./peer-state.ts";

/**
 * Finds the node at an address an admin typed, as a peer to store (federation/peering/peering-port.ts
 * reads its NodeInfo and fetches its actor). A node that cannot be used is an `invalid_input` domain
 * error naming `url`, with the reason.
 */
export type NodeResolver = (address: URL) => Promise<PeerDraft>;

/** What the peers service is made with, once, when the node starts. */
export interface PeersServiceDeps {
  readonly db: Db;
  /** REGISTRATION from the environment: it seeds the charter that approving a peer may revise. */
  readonly registration: RegistrationMode;
  /** The outbox port: the node actor's Follow, Undo, Accept and Reject as drafts. */
  readonly port: PeeringPort;
  readonly resolveNode: NodeResolver;
}

/** A peer with the state an admin sees (server/modules/peers/peer-state.ts), as the API and the page show it. */
export interface PeerView extends Peer {
  readonly state: PeerState;
}

/** An admin acting on peers, named in the charter's history when approving changes it. */
export interface PeerAdmin {
  readonly accountId: number;
  readonly handle: string;
}

const viewOf = (peer: Peer): PeerView => ({ ...peer, state: peerState(peer.weFollow, peer.theyFollow) });

/**
 * The one entry to peering (this node's actor and other nodes' actors following each other, so that
 * directories travel) for the API, the admin page and the inbox (federation/inbox/node-follow.ts, targets.ts).
 * Writes commit with the activities they cause. One query lists every peer.
 */
export function createPeersService(deps: PeersServiceDeps) {
  const { db, registration, port } = deps;

  return {
    /** Every peer, oldest first (a node has tens, not thousands). */
    list: async (): Promise<PeerView[]> => (await listPeers(db)).map(viewOf),
    /** Connects to the node at `address` as the charter allows; `created` is false for a known peer. */
    async connect(address: URL, admin: PeerAdmin): Promise<{ peer: PeerView; created: boolean }> {
      const { peer, created }: ConnectResult = await connectPeer(db, registration, await deps.resolveNode(address), port, admin);
      return { peer: viewOf(peer), created };
    },
    /** Approves a node that asked to connect (404 unknown, 409 nothing to approve or blocked). */
    approve: async (id: number, admin: PeerAdmin): Promise<PeerView> => viewOf(await approvePeer(db, registration, id, port, admin)),
    /** Disconnects and forgets the peer with every entry it gave us (404 unknown). */
    disconnect: async (id: number): Promise<PeerView> => viewOf(await disconnectPeer(db, id, port)),
    /** The peer whose node actor has this IRI, if we know it. */
    byActorIri: (actorIri: string): Promise<Peer | undefined> => findPeerByActorIri(db, actorIri),
    /** Another node's `Follow` of our node actor, answered (or held) as the charter decided. */
    followReceived: (request: NodeFollowRequest, decision: InboundFollowDecision): Promise<Peer | undefined> =>
      receiveNodeFollow(db, request, decision, port),
    /** The peer's `Accept` of our Follow; undefined when our Follow was not pending. */
    ourFollowAccepted: (peer: Peer, followIri: string | null): Promise<Peer | undefined> => ourFollowAccepted(db, peer, followIri),
    /** The peer's `Reject` of our Follow: its directory entries go; the number removed. */
    ourFollowRejected: (peer: Peer): Promise<number> => ourFollowRejected(db, peer),
    /** The peer's `Undo` of its Follow of our node actor. */
    theirFollowUndone: (peer: Peer): Promise<void> => theirFollowUndone(db, peer),
  };
}

export type PeersService = ReturnType<typeof createPeersService>;
