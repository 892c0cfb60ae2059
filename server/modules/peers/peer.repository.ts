import type { Selectable } from "kysely";
import { sql } from "kysely";
import type { DbOrTrx, FollowState, PeerTable } from "../../db/database.ts";

/**
 * Another node this node federates its directory with. Peering is the two node actors following
 * each other; each direction has its own state (none, pending, accepted).
 */
export interface Peer {
  readonly id: number;
  readonly host: string;
  /** The other node's actor (its `Application`). */
  readonly actorIri: string;
  readonly inbox: string;
  readonly sharedInbox: string | null;
  readonly name: string;
  /** Our node actor following theirs. */
  readonly weFollow: FollowState;
  /** Their node actor following ours. */
  readonly theyFollow: FollowState;
  /** The id of the Follow we sent (their Accept, Reject and our Undo refer to it). */
  readonly ourFollowIri: string | null;
  /** The id of the Follow they sent (our Accept or Reject refers to it). */
  readonly theirFollowIri: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What we learn of a node when we resolve it (from its NodeInfo and its actor document). */
export interface PeerDraft {
  readonly host: string;
  readonly actorIri: string;
  readonly inbox: string;
  readonly sharedInbox: string | null;
  readonly name: string;
}

function rowToPeer(row: Selectable<PeerTable>): Peer {
  return {
    id: row.id,
    host: row.host,
    actorIri: row.actor_iri,
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    name: row.name,
    weFollow: row.we_follow,
    theyFollow: row.they_follow,
    ourFollowIri: row.our_follow_iri,
    theirFollowIri: row.their_follow_iri,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Inserts the peer, or refreshes what its actor document says (inbox, name) when we already know it.
 * A node is known by its actor IRI; its host is unique too (one node per host).
 */
export async function upsertPeer(db: DbOrTrx, draft: PeerDraft): Promise<Peer> {
  const values = { host: draft.host.toLowerCase(), actor_iri: draft.actorIri, inbox: draft.inbox, shared_inbox: draft.sharedInbox, name: draft.name };
  const row = await db
    .insertInto("peers")
    .values(values)
    .onConflict((oc) =>
      oc.column("actor_iri").doUpdateSet({ inbox: values.inbox, shared_inbox: values.shared_inbox, name: values.name, updated_at: sql<Date>`now()` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToPeer(row);
}

export async function findPeerById(db: DbOrTrx, id: number): Promise<Peer | undefined> {
  const row = await db.selectFrom("peers").selectAll().where("id", "=", id).executeTakeFirst();
  return row && rowToPeer(row);
}

export async function findPeerByActorIri(db: DbOrTrx, actorIri: string): Promise<Peer | undefined> {
  const row = await db.selectFrom("peers").selectAll().where("actor_iri", "=", actorIri).executeTakeFirst();
  return row && rowToPeer(row);
}

/** Oldest first: the admin page and API list every peer (a node has tens, not thousands). */
export async function listPeers(db: DbOrTrx): Promise<Peer[]> {
  const rows = await db.selectFrom("peers").selectAll().orderBy("id").execute();
  return rows.map(rowToPeer);
}

/** Peers that follow our node actor (they receive our directory activities). */
export async function listFollowingPeers(db: DbOrTrx): Promise<Peer[]> {
  const rows = await db.selectFrom("peers").selectAll().where("they_follow", "=", "accepted").orderBy("id").execute();
  return rows.map(rowToPeer);
}

/** Our side of the follow: `followIri` is set with `pending`, kept with `accepted`, cleared with `none`. */
export async function setWeFollow(db: DbOrTrx, peerId: number, state: FollowState, followIri?: string | null): Promise<Peer | undefined> {
  const row = await db
    .updateTable("peers")
    .set({
      we_follow: state,
      ...(followIri !== undefined && { our_follow_iri: followIri }),
      ...(state === "none" && { our_follow_iri: null }),
      updated_at: sql<Date>`now()`,
    })
    .where("id", "=", peerId)
    .returningAll()
    .executeTakeFirst();
  return row && rowToPeer(row);
}

export async function setTheyFollow(db: DbOrTrx, peerId: number, state: FollowState, followIri?: string | null): Promise<Peer | undefined> {
  const row = await db
    .updateTable("peers")
    .set({
      they_follow: state,
      ...(followIri !== undefined && { their_follow_iri: followIri }),
      ...(state === "none" && { their_follow_iri: null }),
      updated_at: sql<Date>`now()`,
    })
    .where("id", "=", peerId)
    .returningAll()
    .executeTakeFirst();
  return row && rowToPeer(row);
}

/** Our pending Follow became accepted, only when the Accept answers the Follow we sent (AUTHZ-10). */
export async function markWeFollowAccepted(db: DbOrTrx, peerId: number, followIri: string | null): Promise<Peer | undefined> {
  let query = db
    .updateTable("peers")
    .set({ we_follow: "accepted", updated_at: sql<Date>`now()` })
    .where("id", "=", peerId)
    .where("we_follow", "=", "pending");
  if (followIri !== null) query = query.where("our_follow_iri", "=", followIri);
  const row = await query.returningAll().executeTakeFirst();
  return row && rowToPeer(row);
}

/** Removes the peer; entries received from it go with it (directory_entries.received_from_peer_id cascades). */
export async function deletePeer(db: DbOrTrx, peerId: number): Promise<boolean> {
  const result = await db.deleteFrom("peers").where("id", "=", peerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
