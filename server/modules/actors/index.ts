import type { DbOrTrx } from "../../db/database.ts";
import { type Actor, findActorByHandle } from "./actor.repository.ts";

export type { Actor, ActorKind } from "./actor.repository.ts";
// For the media module, which checks the upload first and may run in the caller's transaction.
export { setActorProfileImage } from "./actor.repository.ts";

/** The one entry to local actors (the node, members, projects) by what they share: handle and kind. */
export function createActorsService(deps: { readonly db: DbOrTrx }) {
  return {
    /** The local actor with this handle, whatever its kind; handles are unique across kinds. */
    byHandle: (handle: string): Promise<Actor | undefined> => findActorByHandle(deps.db, handle),
  };
}

export type ActorsService = ReturnType<typeof createActorsService>;
export { countActorsByKind, findActorByHandle, findNodeActor, insertActor, updateActorProfile } from "./actor.repository.ts";
