import type { Db } from "../../db/database.ts";
import { type Following, listFollowing } from "./following.repository.ts";
import type { FollowTarget } from "./following.schemas.ts";
import { type Follower, type FollowingPort, type FollowResult, followRemoteActor, unfollowRemoteActor } from "./follows.ts";

/** The following module's entry: what other layers and modules may use. */
export { type Following, isFollowedByAnyMember, listFollowing } from "./following.repository.ts";
export type { AnsweredFollow, Follower, FollowingPort, FollowResult } from "./follows.ts";
// The inbox's answers to our Follows (federation/inbox/accept.ts, reject.ts).
export { acceptFollowing, rejectFollowing } from "./follows.ts";

/** What the following service is made with, once, when the node starts. */
export interface FollowingServiceDeps {
  readonly db: Db;
  /** The outbox port: federation/ resolves targets and turns follows into `Follow` / `Undo(Follow)` drafts. */
  readonly port: FollowingPort;
}

/**
 * The one entry to members' follows of accounts on other servers for the API and the pages. The
 * inbox's answers (`Accept`, `Reject`) reach follows.ts directly: federation/ has no services object.
 */
export function createFollowingService(deps: FollowingServiceDeps) {
  const { db, port } = deps;
  return {
    /** The accounts the member follows or asked to follow, newest first, in one query. */
    list: (memberActorId: number): Promise<Following[]> => listFollowing(db, memberActorId),
    follow: (member: Follower, target: FollowTarget): Promise<FollowResult> => followRemoteActor(db, member, target, port),
    /** 404 when the member does not follow the target. */
    unfollow: (member: Follower, target: FollowTarget): Promise<Following> => unfollowRemoteActor(db, member, target, port),
  };
}

export type FollowingService = ReturnType<typeof createFollowingService>;
