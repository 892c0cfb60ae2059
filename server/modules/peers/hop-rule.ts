/**
 * How far a directory entry travels. Hops count node-to-node links from the origin, as the directory
 * stores them (server/modules/directory/directory-entry.ts): 0 at the origin, 1 at a direct peer,
 * 2 after one forward. An entry's `maxHops` is the origin's consent (its charter's hop limit when it
 * published the entry) and each node's charter `directory.hopLimit` is its own limit; both say how
 * many nodes beyond the origin's direct peers a listing may reach (0 = direct peers only).
 */

/** How many forwards an entry may have had when it reaches a node with `hopLimit`. */
function allowedForwards(maxHops: number, hopLimit: number): number {
  return Math.max(0, Math.min(maxHops, hopLimit));
}

/**
 * Whether a node may take an entry that reached it after `hops` links: 1 (from the origin itself) is
 * always within limits; each forward beyond counts against the origin's consent and the receiver's
 * own hop limit.
 */
export function mayAcceptAtHops(hops: number, maxHops: number, hopLimit: number): boolean {
  return Number.isInteger(hops) && hops >= 1 && hops - 1 <= allowedForwards(maxHops, hopLimit);
}

/**
 * Whether a node holding an entry at `hops` (1 or more: received, not its own) may forward it to its
 * peers, which would hold it at `hops + 1`: within the origin's consent and the forwarder's limit.
 */
export function mayForward(hops: number, maxHops: number, hopLimit: number): boolean {
  return Number.isInteger(hops) && hops >= 1 && hops <= allowedForwards(maxHops, hopLimit);
}
