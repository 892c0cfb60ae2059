/** The remote-actors module's entry: what other layers and modules may use. */
export { findRemoteActorByIri, isStale, type RemoteActor, type RemoteActorDraft, upsertRemoteActor } from "./remote-actor.repository.ts";
