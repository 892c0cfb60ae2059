import type { DbOrTrx } from "../../db/database.ts";

export type FollowingState = "pending" | "accepted";

/** A member's follow of a remote actor, with what the API and pages show of that actor. */
export interface Following {
  readonly id: number;
  readonly localActorId: number;
  readonly remoteActorId: number;
  /** The id of the Follow we sent; Accept, Reject and our Undo refer to it. */
  readonly followIri: string;
  readonly state: FollowingState;
  readonly createdAt: Date;
  readonly target: {
    readonly iri: string;
    /** `user@host`, without a leading @. */
    readonly handle: string;
    readonly name: string;
    readonly url: string | null;
    readonly iconUrl: string | null;
    readonly inbox: string;
  };
}

function followingQuery(db: DbOrTrx) {
  return db
    .selectFrom("following as f")
    .innerJoin("remote_actors as r", "r.id", "f.remote_actor_id")
    .select([
      "f.id",
      "f.local_actor_id",
      "f.remote_actor_id",
      "f.follow_iri",
      "f.state",
      "f.created_at",
      "r.iri",
      "r.handle",
      "r.name",
      "r.url",
      "r.icon_url",
      "r.inbox",
    ]);
}

type FollowingRow = Awaited<ReturnType<ReturnType<typeof followingQuery>["executeTakeFirstOrThrow"]>>;

function rowToFollowing(row: FollowingRow): Following {
  return {
    id: row.id,
    localActorId: row.local_actor_id,
    remoteActorId: row.remote_actor_id,
    followIri: row.follow_iri,
    state: row.state,
    createdAt: row.created_at,
    target: { iri: row.iri, handle: row.handle, name: row.name, url: row.url, iconUrl: row.icon_url, inbox: row.inbox },
  };
}

/** Records a pending follow; an existing follow of the same pair is kept as it is (null). */
export async function insertPendingFollowing(
  db: DbOrTrx,
  follow: { localActorId: number; remoteActorId: number; followIri: string },
): Promise<number | null> {
  const row = await db
    .insertInto("following")
    .values({ local_actor_id: follow.localActorId, remote_actor_id: follow.remoteActorId, follow_iri: follow.followIri, state: "pending" })
    .onConflict((oc) => oc.columns(["local_actor_id", "remote_actor_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findFollowingById(db: DbOrTrx, id: number): Promise<Following | undefined> {
  const row = await followingQuery(db).where("f.id", "=", id).executeTakeFirst();
  return row && rowToFollowing(row);
}

export async function findFollowingByPair(db: DbOrTrx, localActorId: number, remoteActorId: number): Promise<Following | undefined> {
  const row = await followingQuery(db).where("f.local_actor_id", "=", localActorId).where("f.remote_actor_id", "=", remoteActorId).executeTakeFirst();
  return row && rowToFollowing(row);
}

/** A member's follow by the followed actor's IRI or profile URL, or its `user@host` handle. */
export async function findFollowingByTarget(
  db: DbOrTrx,
  localActorId: number,
  target: { url: string } | { acct: string },
): Promise<Following | undefined> {
  let query = followingQuery(db).where("f.local_actor_id", "=", localActorId);
  if ("url" in target) query = query.where((eb) => eb.or([eb("r.iri", "=", target.url), eb("r.url", "=", target.url)]));
  else query = query.where("r.handle", "=", target.acct.replace(/^@/, "").toLowerCase());
  const row = await query.orderBy("f.id").executeTakeFirst();
  return row && rowToFollowing(row);
}

/** The follow an Accept or Reject names by our Follow's id, only if `followeeIri` is the followed actor. */
export async function findFollowingByFollowIri(db: DbOrTrx, followIri: string, followeeIri: string): Promise<Following | undefined> {
  const row = await followingQuery(db).where("f.follow_iri", "=", followIri).where("r.iri", "=", followeeIri).executeTakeFirst();
  return row && rowToFollowing(row);
}

/** A member's follow of exactly this actor IRI (Accept/Reject that embed a Follow with another id). */
export async function findFollowingByFolloweeIri(db: DbOrTrx, localActorId: number, followeeIri: string): Promise<Following | undefined> {
  const row = await followingQuery(db).where("f.local_actor_id", "=", localActorId).where("r.iri", "=", followeeIri).executeTakeFirst();
  return row && rowToFollowing(row);
}

/** A pending follow becomes accepted; true when it changed. */
export async function markFollowingAccepted(db: DbOrTrx, id: number): Promise<boolean> {
  const result = await db.updateTable("following").set({ state: "accepted" }).where("id", "=", id).where("state", "=", "pending").executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteFollowing(db: DbOrTrx, id: number): Promise<boolean> {
  const result = await db.deleteFrom("following").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The accounts a member follows or asked to follow, newest first. */
export async function listFollowing(db: DbOrTrx, localActorId: number, limit = 200): Promise<Following[]> {
  const rows = await followingQuery(db)
    .where("f.local_actor_id", "=", localActorId)
    .where("r.deleted_at", "is", null)
    .orderBy("f.id", "desc")
    .limit(limit)
    .execute();
  return rows.map(rowToFollowing);
}

/** Whether any member of this node follows the actor (accepted): their posts are then kept for timelines. */
export async function isFollowedByAnyMember(db: DbOrTrx, remoteActorId: number): Promise<boolean> {
  const row = await db
    .selectFrom("following")
    .select("id")
    .where("remote_actor_id", "=", remoteActorId)
    .where("state", "=", "accepted")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
