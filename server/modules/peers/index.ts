/** The peers module's entry: what other layers and modules may use. */
export { findPeerByActorIri, listFollowingPeers, listPeers, type Peer, type PeerDraft } from "./peer.repository.ts";
