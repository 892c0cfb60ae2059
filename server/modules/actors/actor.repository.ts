import type { Selectable } from "kysely";
import type { ActorTable, DbOrTrx } from "../../db/database.ts";

export type ActorKind = ActorTable["kind"];

/** A local actor: the node, a member or a project. */
export interface Actor {
  readonly id: number;
  readonly handle: string;
  readonly kind: ActorKind;
  readonly name: string;
  readonly summary: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

function rowToActor(row: Selectable<ActorTable>): Actor {
  return {
    id: row.id,
    handle: row.handle,
    kind: row.kind,
    name: row.name,
    summary: row.summary,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findActorByHandle(db: DbOrTrx, handle: string): Promise<Actor | undefined> {
  const row = await db.selectFrom("actors").selectAll().where("handle", "=", handle.toLowerCase()).executeTakeFirst();
  return row && rowToActor(row);
}

export async function findNodeActor(db: DbOrTrx): Promise<Actor | undefined> {
  const row = await db.selectFrom("actors").selectAll().where("kind", "=", "node").executeTakeFirst();
  return row && rowToActor(row);
}

/** Inserts an actor; returns undefined when the handle is taken (unique across every local actor). */
export async function insertActor(
  db: DbOrTrx,
  actor: { handle: string; kind: ActorKind; name: string; summary: string },
): Promise<Actor | undefined> {
  const row = await db
    .insertInto("actors")
    .values({ handle: actor.handle.toLowerCase(), kind: actor.kind, name: actor.name, summary: actor.summary })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && rowToActor(row);
}

export async function updateActorProfile(db: DbOrTrx, id: number, profile: { name: string; summary: string }): Promise<void> {
  await db
    .updateTable("actors")
    .set({ name: profile.name, summary: profile.summary, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

/** The upload shown as the actor's avatar or banner (the media module checked it), or none. */
export async function setActorProfileImage(db: DbOrTrx, actorId: number, kind: "avatar" | "banner", mediaId: string | null): Promise<void> {
  await db
    .updateTable("actors")
    .set(kind === "avatar" ? { avatar_media_id: mediaId, updated_at: new Date() } : { banner_media_id: mediaId, updated_at: new Date() })
    .where("id", "=", actorId)
    .execute();
}

export async function countActorsByKind(db: DbOrTrx, kind: ActorKind): Promise<number> {
  const row = await db
    .selectFrom("actors")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "=", kind)
    .executeTakeFirstOrThrow();
  return row.n;
}
