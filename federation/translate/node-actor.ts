import { Application, Endpoints } from "@fedify/vocab";
import type { ActorKeyPair } from "@fedify/fedify";
import type { Actor } from "../../server/modules/actors/actor.repository.ts";
import { plainTextToHtml } from "./html.ts";
import { toInstant } from "./temporal.ts";

export interface NodeActorUris {
  readonly id: URL;
  readonly url: URL;
  readonly inbox: URL;
  readonly outbox: URL;
  readonly sharedInbox: URL;
}

/**
 * The node's own actor: an `Application`, like Mastodon's instance actor (app/models/concerns/
 * account/finder_concern.rb representative). It signs the node's fetches (authorized-fetch peers
 * demand signed GETs, stack-notes §8) and, later, directory traffic between nodes.
 */
export function toNodeApplication(actor: Actor, uris: NodeActorUris, keys: readonly ActorKeyPair[]): Application {
  return new Application({
    id: uris.id,
    preferredUsername: actor.handle,
    name: actor.name,
    summary: plainTextToHtml(actor.summary),
    url: uris.url,
    inbox: uris.inbox,
    outbox: uris.outbox,
    endpoints: new Endpoints({ sharedInbox: uris.sharedInbox }),
    published: toInstant(actor.createdAt),
    manuallyApprovesFollowers: true,
    discoverable: false,
    indexable: false,
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((key) => key.multikey),
  });
}
