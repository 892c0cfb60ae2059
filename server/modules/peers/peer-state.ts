import type { FollowState } from "../../db/database.ts";
import type { CharterDocument } from "../charter/charter.schema.ts";
import { isHostBlocked, isHostListed } from "../charter/peer-policy.ts";

/**
 * What an admin sees of a peer: `connected` when both node actors follow each other;
 * `awaiting-approval` when the other node asked to connect and an admin here must approve it
 * (allowlist mode); `requested` when we asked and they have not accepted yet; `pending` otherwise
 * (one direction on its way, or both refused).
 */
export const PEER_STATES = ["connected", "pending", "awaiting-approval", "requested"] as const;
export type PeerState = (typeof PEER_STATES)[number];

export function peerState(weFollow: FollowState, theyFollow: FollowState): PeerState {
  if (weFollow === "accepted" && theyFollow === "accepted") return "connected";
  if (theyFollow === "pending") return "awaiting-approval";
  if (weFollow === "pending" && theyFollow === "none") return "requested";
  return "pending";
}

/**
 * What we answer another node's `Follow` of our node actor, by our charter alone: a host the
 * charter refuses (blocked in any mode) gets a `Reject`; in allowlist mode a host not yet listed
 * waits for an admin's approval (approving lists it); anyone else is accepted, and followed back
 * so that the connection is mutual.
 */
export type InboundFollowDecision = "accept" | "await-approval" | "reject";

export function decideInboundFollow(charter: CharterDocument, host: string): InboundFollowDecision {
  if (isHostBlocked(charter, host)) return "reject";
  if (charter.federation.mode === "allowlist" && !isHostListed(charter, host)) return "await-approval";
  return "accept";
}

/** The charter with `host` added to its allowlist (approving a peer in allowlist mode). */
export function withAllowedHost(charter: CharterDocument, host: string): CharterDocument {
  const h = host.toLowerCase();
  if (isHostListed(charter, h)) return charter;
  return { ...charter, federation: { ...charter.federation, allow: [...charter.federation.allow, h] } };
}
