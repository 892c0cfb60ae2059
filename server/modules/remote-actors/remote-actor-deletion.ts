import type { Db } from "../../db/database.ts";
import { removeAllFollowsOf } from "../followers/index.ts";
import { removeAllInteractionsOf } from "../interactions/index.ts";
import { tombstoneRemotePostsBy } from "../remote-posts/index.ts";
import { findRemoteActorByIri, markRemoteActorDeleted } from "./remote-actor.repository.ts";

export interface ActorDeletion {
  readonly follows: number;
  readonly interactions: number;
  readonly posts: number;
}

/**
 * A remote actor deleted itself (Mastodon's delete.rb, `Delete{object: actor}`): it is marked deleted
 * (the row stays, so the IRI is not resurrected by a stale delivery), it follows none of our actors,
 * its likes and boosts no longer count and its posts become tombstones, all in one transaction.
 * Undefined when we never knew the actor.
 */
export async function deleteRemoteActor(db: Db, iri: string): Promise<ActorDeletion | undefined> {
  return await db.transaction().execute(async (trx) => {
    const actor = await findRemoteActorByIri(trx, iri);
    if (actor === undefined) return undefined;
    await markRemoteActorDeleted(trx, iri);
    return {
      follows: await removeAllFollowsOf(trx, actor.id),
      interactions: await removeAllInteractionsOf(trx, actor.id),
      posts: await tombstoneRemotePostsBy(trx, actor.id),
    };
  });
}
