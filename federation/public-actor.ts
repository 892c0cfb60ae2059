import type { Services } from "../server/http/app-env.ts";
import type { Actor } from "../server/modules/actors/index.ts";

/**
 * The local actor `/@{identifier}` names, when the public may know it exists: a member pending
 * approval (or disabled) has no actor, WebFinger answer or collection, so that `/@x/outbox`,
 * `/@x/followers` and `/@x/featured` answer exactly as for a handle nobody has (issue 9, finding 9);
 * otherwise anyone could list who is waiting for approval. Handles match as spelt (lower case).
 */
export async function findPublicActor(services: Pick<Services, "actors" | "accounts">, identifier: string): Promise<Actor | undefined> {
  const actor = await services.actors.byHandle(identifier);
  if (actor === undefined || actor.handle !== identifier) return undefined;
  if (actor.kind !== "person") return actor;
  const profile = await services.accounts.profileByHandle(identifier);
  return profile?.status === "active" ? actor : undefined;
}
