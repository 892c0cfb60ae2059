import type { Db } from "../../db/database.ts";
import { type Following, isFollowedByAnyMember, listFollowing } from "./following.repository.ts";
import type { FollowTarget } from "./following.schemas.ts";
import {
  acceptFollowing,
  type AnsweredFollow,
  type Follower,
  type FollowingPort,
  type FollowResult,
  followRemoteActor,
  rejectFollowing,
  unfollowRemoteActor,
} from "./follows.ts";

/** The following module's entry: what other layers and modules may use. */
export { type Following, isFollowedByAnyMember, listFollowing } from "./following.repository.ts";
export type { AnsweredFollow, Follower, FollowingPort, FollowResult } from "./follows.ts";

/** What the following service is made with, once, when the node starts. */
export interface FollowingServiceDeps {
  readonly db: Db;
  /** The outbox port: federation/ resolves targets and turns follows into `Follow` / `Undo(Follow)` drafts. */
  readonly port: FollowingPort;
}

/**
 * The one entry to members' follows of accounts on other servers for the API, the pages and the inbox,
 * which brings the followee's answers (`Accept`, `Reject`: federation/inbox/accept.ts, reject.ts).
 */
export function createFollowingService(deps: FollowingServiceDeps) {
  const { db, port } = deps;
  return {
    /** The accounts the member follows or asked to follow, newest first, in one query. */
    list: (memberActorId: number): Promise<Following[]> => listFollowing(db, memberActorId),
    follow: (member: Follower, target: FollowTarget): Promise<FollowResult> => followRemoteActor(db, member, target, port),
    /** 404 when the member does not follow the target. */
    unfollow: (member: Follower, target: FollowTarget): Promise<Following> => unfollowRemoteActor(db, member, target, port),
    /** The followee's `Accept`: the matching pending follow becomes accepted; undefined when none matches. */
    accepted: (answered: AnsweredFollow): Promise<Following | undefined> => acceptFollowing(db, answered),
    /** The followee's `Reject`: the matching follow is dropped; undefined when none matches. */
    rejected: (answered: AnsweredFollow): Promise<Following | undefined> => rejectFollowing(db, answered),
    /** Whether any member follows the remote actor (accepted): its posts are then kept for timelines. */
    isFollowedByAnyMember: (remoteActorId: number): Promise<boolean> => isFollowedByAnyMember(db, remoteActorId),
  };
}

export type FollowingService = ReturnType<typeof createFollowingService>;
