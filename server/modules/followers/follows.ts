import type { Db } from "../../db/database.ts";
import { commitWithActivities } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import { type Follower, recordFollow, removeFollowerById } from "./follower.repository.ts";

/**
 * A follow and its `Accept` commit together (the transactional outbox): the follower is never stored
 * without its Accept on the way, nor Accepted without being stored. A re-follow under a new Follow id
 * updates the stored id and is accepted again; the same Follow delivered again is not.
 */
export async function acceptFollow(
  db: Db,
  follow: { localActorId: number; remoteActorId: number; followIri: string },
  accept: ActivityDraft,
): Promise<number> {
  return await commitWithActivities(db, async (trx, emit) => {
    const { id, news } = await recordFollow(trx, follow.localActorId, follow.remoteActorId, follow.followIri);
    if (news) await emit(accept);
    return id;
  });
}

/** A follow we refuse (nothing stored), answered with a `Reject` through the outbox. */
export async function rejectFollow(db: Db, reject: ActivityDraft): Promise<void> {
  await commitWithActivities(db, async (_trx, emit) => {
    await emit(reject);
  });
}

/**
 * The outbox port of followers (federation/follow-responses.ts): the `Reject` that tells a removed
 * follower's server, signed by the followed local actor.
 */
export interface FollowersPort {
  rejectFollow(followedHandle: string, follower: Follower): Promise<ActivityDraft>;
}

/**
 * A maintainer removes a follower: the row goes and a `Reject` of the Follow tells the follower's
 * server (Mastodon then unfollows, reject.rb). Returns false when it was already gone.
 */
export async function removeFollower(db: Db, followedHandle: string, follower: Follower, port: FollowersPort): Promise<boolean> {
  const reject = await port.rejectFollow(followedHandle, follower);
  return await commitWithActivities(db, async (trx, emit) => {
    const removed = await removeFollowerById(trx, follower.localActorId, follower.id);
    if (removed) await emit(reject);
    return removed;
  });
}
