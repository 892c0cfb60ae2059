import type { DbOrTrx } from "../server/db/database.ts";
import { type Actor, findActorByHandle } from "../server/modules/actors/index.ts";
import { findMemberProfileByHandle } from "../server/modules/accounts/index.ts";

/**
 * The local actor `/@{identifier}` names, when the public may know it exists: a member pending
 * approval (or disabled) has no actor, WebFinger answer or collection, so that `/@x/outbox`,
 * `/@x/followers` and `/@x/featured` answer exactly as for a handle nobody has (issue 9, finding 9);
 * otherwise anyone could list who is waiting for approval. Handles match as spelt (lower case).
 */
export async function findPublicActor(db: DbOrTrx, identifier: string): Promise<Actor | undefined> {
  const actor = await findActorByHandle(db, identifier);
  if (actor === undefined || actor.handle !== identifier) return undefined;
  if (actor.kind !== "person") return actor;
  const profile = await findMemberProfileByHandle(db, identifier);
  return profile?.status === "active" ? actor : undefined;
}
