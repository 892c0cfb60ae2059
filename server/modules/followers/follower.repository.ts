import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";

/** A remote actor following one of our actors, with what delivery and listings need. */
export interface Follower {
  readonly id: number;
  readonly localActorId: number;
  readonly remoteActorId: number;
  /** The id of the Follow we accepted; Undo and Reject refer to it. */
  readonly followIri: string;
  readonly iri: string;
  /** `user@host`, without a leading @. */
  readonly handle: string;
  readonly inbox: string;
  readonly sharedInbox: string | null;
  readonly createdAt: Date;
}

function followerQuery(db: DbOrTrx) {
  return db
    .selectFrom("followers as f")
    .innerJoin("remote_actors as r", "r.id", "f.remote_actor_id")
    .select([
      "f.id",
      "f.local_actor_id",
      "f.remote_actor_id",
      "f.follow_iri",
      "f.created_at",
      "r.iri",
      "r.handle",
      "r.inbox",
      "r.shared_inbox",
    ])
    .where("r.deleted_at", "is", null);
}

type FollowerRow = Awaited<ReturnType<ReturnType<typeof followerQuery>["executeTakeFirstOrThrow"]>>;

function rowToFollower(row: FollowerRow): Follower {
  return {
    id: row.id,
    localActorId: row.local_actor_id,
    remoteActorId: row.remote_actor_id,
    followIri: row.follow_iri,
    iri: row.iri,
    handle: row.handle,
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    createdAt: row.created_at,
  };
}

/**
 * Records a follow, or refreshes the Follow id of an existing one: Mastodon re-sends Follows with new
 * ids (Mastodon's refollow_worker.rb), and each must be accepted again.
 */
export async function upsertFollower(db: DbOrTrx, localActorId: number, remoteActorId: number, followIri: string): Promise<number> {
  return (await recordFollow(db, localActorId, remoteActorId, followIri)).id;
}

/**
 * Stores a Follow: a new follower, or a re-follow under a new Follow id (refollow_worker.rb). `news`
 * is false when this very Follow id is already stored, so a Follow delivered twice (even twice at
 * once: the second insert waits on the first's row lock, then finds the same id) is answered once.
 */
export async function recordFollow(db: DbOrTrx, localActorId: number, remoteActorId: number, followIri: string): Promise<{ id: number; news: boolean }> {
  const changed = await db
    .insertInto("followers")
    .values({ local_actor_id: localActorId, remote_actor_id: remoteActorId, follow_iri: followIri })
    .onConflict((oc) =>
      oc
        .columns(["local_actor_id", "remote_actor_id"])
        .doUpdateSet({ follow_iri: followIri })
        .where("followers.follow_iri", "is distinct from", followIri),
    )
    .returning("id")
    .executeTakeFirst();
  if (changed !== undefined) return { id: changed.id, news: true };
  const existing = await db
    .selectFrom("followers")
    .select("id")
    .where("local_actor_id", "=", localActorId)
    .where("remote_actor_id", "=", remoteActorId)
    .executeTakeFirstOrThrow();
  return { id: existing.id, news: false };
}

/** Undo(Follow) matched by the Follow's id; only the follower itself may undo it. */
export async function removeFollowerByFollowIri(db: DbOrTrx, remoteActorId: number, followIri: string): Promise<number> {
  const result = await db
    .deleteFrom("followers")
    .where("remote_actor_id", "=", remoteActorId)
    .where("follow_iri", "=", followIri)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Undo(Follow) whose Follow id we do not know: matched by the (follower, followed) pair. */
export async function removeFollowerByPair(db: DbOrTrx, localActorId: number, remoteActorId: number): Promise<number> {
  const result = await db
    .deleteFrom("followers")
    .where("local_actor_id", "=", localActorId)
    .where("remote_actor_id", "=", remoteActorId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function removeFollowerById(db: DbOrTrx, localActorId: number, followerId: number): Promise<boolean> {
  const result = await db.deleteFrom("followers").where("id", "=", followerId).where("local_actor_id", "=", localActorId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A deleted remote actor follows no one any more. */
export async function removeAllFollowsOf(db: DbOrTrx, remoteActorId: number): Promise<number> {
  const result = await db.deleteFrom("followers").where("remote_actor_id", "=", remoteActorId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countFollowers(db: DbOrTrx, localActorId: number): Promise<number> {
  const row = await db
    .selectFrom("followers as f")
    .innerJoin("remote_actors as r", "r.id", "f.remote_actor_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("f.local_actor_id", "=", localActorId)
    .where("r.deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface FollowerPage {
  readonly items: readonly Follower[];
  /** The id to pass as `afterId` for the next page; null on the last page. */
  readonly nextAfterId: number | null;
}

/** Oldest first, keyset-paged by row id (stable while followers come and go). */
export async function listFollowers(db: DbOrTrx, localActorId: number, options: { afterId?: number; limit: number }): Promise<FollowerPage> {
  const rows = await followerQuery(db)
    .where("f.local_actor_id", "=", localActorId)
    .where("f.id", ">", options.afterId ?? 0)
    .orderBy("f.id")
    .limit(options.limit + 1)
    .execute();
  const items = rows.slice(0, options.limit).map(rowToFollower);
  return { items, nextAfterId: rows.length > options.limit ? items[items.length - 1]!.id : null };
}

/** Every follower, for fan-out: Fedify groups them by shared inbox itself. */
export async function listAllFollowers(db: DbOrTrx, localActorId: number): Promise<Follower[]> {
  const rows = await followerQuery(db).where("f.local_actor_id", "=", localActorId).orderBy("f.id").execute();
  return rows.map(rowToFollower);
}

export async function findFollowerById(db: DbOrTrx, localActorId: number, followerId: number): Promise<Follower | undefined> {
  const row = await followerQuery(db).where("f.local_actor_id", "=", localActorId).where("f.id", "=", followerId).executeTakeFirst();
  return row && rowToFollower(row);
}

/** By the follower's actor IRI or its `user@host` handle (with or without a leading @). */
export async function findFollowerByActor(db: DbOrTrx, localActorId: number, actor: { iri?: string; acct?: string }): Promise<Follower | undefined> {
  let query = followerQuery(db).where("f.local_actor_id", "=", localActorId);
  if (actor.iri !== undefined) query = query.where("r.iri", "=", actor.iri);
  else if (actor.acct !== undefined) query = query.where(sql<string>`lower(r.handle)`, "=", actor.acct.replace(/^@/, "").toLowerCase());
  else return undefined;
  const row = await query.executeTakeFirst();
  return row && rowToFollower(row);
}
