import type { Db } from "../../db/database.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import {
  countFollowers,
  type Follower,
  findFollowerByActor,
  findFollowerById,
  type FollowerPage,
  listAllFollowers,
  listFollowers,
  removeFollowerByFollowIri,
  removeFollowerByPair,
} from "./follower.repository.ts";
import { acceptFollow, type FollowersPort, rejectFollow, removeFollower } from "./follows.ts";

/** The followers module's entry: what other layers and modules may use. */
export {
  countFollowers,
  findFollowerByActor,
  findFollowerById,
  type Follower,
  listAllFollowers,
  listFollowers,
  removeAllFollowsOf,
  removeFollowerByFollowIri,
  removeFollowerByPair,
  upsertFollower,
} from "./follower.repository.ts";
export type { FollowersPort } from "./follows.ts";

/** What the followers service is made with, once, when the node starts. */
export interface FollowersServiceDeps {
  readonly db: Db;
  /** The outbox port: federation/ turns a removal into the `Reject` the follower's server receives. */
  readonly port: FollowersPort;
}

/** The local actor whose followers these are: its row id and the handle that signs for it. */
export interface Followed {
  readonly actorId: number;
  readonly handle: string;
}

/** One page of followers, as the API lists them. */
export interface FollowersPage {
  readonly total: number;
  readonly items: readonly Follower[];
  /** Pass as `afterId` for the next page; null on the last page. */
  readonly nextAfterId: number | null;
}

/** Which follower: by row id, or by actor IRI or `user@host` handle. */
export type FollowerSelector = { readonly id: number } | { readonly iri?: string; readonly acct?: string };

/**
 * The one entry to the remote followers of local actors for the API, the pages and the inbox (a remote
 * `Follow` and its `Undo`: federation/inbox/follow.ts, node-follow.ts, undo.ts).
 */
export function createFollowersService(deps: FollowersServiceDeps) {
  const { db, port } = deps;
  return {
    /** Oldest first, keyset-paged by row id; two queries, however long the page. */
    async page(followed: Pick<Followed, "actorId">, options: { afterId?: number; limit: number }): Promise<FollowersPage> {
      const [total, page] = await Promise.all([countFollowers(db, followed.actorId), listFollowers(db, followed.actorId, options)]);
      return { total, items: page.items, nextAfterId: page.nextAfterId };
    },
    /** One page without the total, for the ActivityPub collection's pages (its counter asks `count`). */
    pageItems: (followed: Pick<Followed, "actorId">, options: { afterId?: number; limit: number }): Promise<FollowerPage> =>
      listFollowers(db, followed.actorId, options),
    count: (followed: Pick<Followed, "actorId">): Promise<number> => countFollowers(db, followed.actorId),
    /** Every follower with its inboxes, oldest first: what Fedify's getFollowers hands a fan-out. */
    all: (followed: Pick<Followed, "actorId">): Promise<Follower[]> => listAllFollowers(db, followed.actorId),
    find(followed: Pick<Followed, "actorId">, which: FollowerSelector): Promise<Follower | undefined> {
      return "id" in which ? findFollowerById(db, followed.actorId, which.id) : findFollowerByActor(db, followed.actorId, which);
    },
    /** The follow goes with a `Reject` to the follower's server; false when it was already gone. */
    remove: (followed: Followed, follower: Follower): Promise<boolean> => removeFollower(db, followed.handle, follower, port),
    /** A remote `Follow` stored, and its `Accept` committed with it; the `Accept` only for a new follow. Returns the row id. */
    accept: (follow: { localActorId: number; remoteActorId: number; followIri: string }, accept: ActivityDraft): Promise<number> =>
      acceptFollow(db, follow, accept),
    /** A remote `Follow` refused: nothing stored, only its `Reject` committed to the outbox. */
    reject: (reject: ActivityDraft): Promise<void> => rejectFollow(db, reject),
    /** `Undo(Follow)` by the Follow's id, only by the actor who sent it; the number of follows removed. */
    undoFollow: (remoteActorId: number, followIri: string): Promise<number> => removeFollowerByFollowIri(db, remoteActorId, followIri),
    /** `Undo(Follow)` whose Follow id we do not know: by (followed, follower). */
    undoFollowByPair: (localActorId: number, remoteActorId: number): Promise<number> => removeFollowerByPair(db, localActorId, remoteActorId),
  };
}

export type FollowersService = ReturnType<typeof createFollowersService>;
