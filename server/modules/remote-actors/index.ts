import type { Db } from "../../db/database.ts";
import { type ActorDeletion, deleteRemoteActor } from "./remote-actor-deletion.ts";
import { findRemoteActorByIri, type RemoteActor, type RemoteActorDraft, upsertRemoteActor } from "./remote-actor.repository.ts";

/** The remote-actors module's entry: what other layers and modules may use. */
export { findRemoteActorByIri, isStale, type RemoteActor, type RemoteActorDraft, upsertRemoteActor } from "./remote-actor.repository.ts";
export type { ActorDeletion } from "./remote-actor-deletion.ts";

/**
 * The one entry to the cache of actors on other servers (`remote_actors`) for the inbox
 * (federation/inbox/remote-actors.ts caches them; create.ts, update.ts, delete.ts, undo.ts look them up).
 * Other modules, which may hold a transaction, keep the function entries above.
 */
export function createRemoteActorsService(deps: { readonly db: Db }) {
  const { db } = deps;
  return {
    /** The cached actor with this IRI, deleted or not. */
    byIri: (iri: string): Promise<RemoteActor | undefined> => findRemoteActorByIri(db, iri),
    /** Caches a fetched actor document, already checked by federation/ (one row per IRI). */
    store: (draft: RemoteActorDraft): Promise<RemoteActor> => upsertRemoteActor(db, draft),
    /** The actor deleted itself: its follows, likes and posts go with it; undefined when we never knew it. */
    delete: (iri: string): Promise<ActorDeletion | undefined> => deleteRemoteActor(db, iri),
  };
}

export type RemoteActorsService = ReturnType<typeof createRemoteActorsService>;
