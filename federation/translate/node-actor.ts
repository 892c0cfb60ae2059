import { Application, Endpoints, Note, PropertyValue } from "@fedify/vocab";
import type { ActorKeyPair } from "@fedify/fedify";
import type { Actor } from "../../server/modules/actors/index.ts";
import { escapeHtml, plainTextToHtml } from "./html.ts";
import { toInstant } from "./temporal.ts";

export interface NodeActorUris {
  readonly id: URL;
  readonly url: URL;
  readonly inbox: URL;
  readonly outbox: URL;
  /** Its followers are the peer nodes connected to it; featured is empty (Fedify serves both for every actor). */
  readonly followers: URL;
  readonly featured: URL;
  readonly sharedInbox: URL;
  /** The node's charter (its current version's stable URL), linked as a profile field. */
  readonly charter?: URL;
}

/**
 * The node's own actor: an `Application`, like Mastodon's instance actor (app/models/concerns/
 * account/finder_concern.rb representative). It signs the node's fetches (authorized-fetch peers
 * demand signed GETs, docs/mastodon.md#signatures) and, later, directory traffic between nodes.
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
    followers: uris.followers,
    featured: uris.featured,
    endpoints: new Endpoints({ sharedInbox: uris.sharedInbox }),
    published: toInstant(actor.createdAt),
    manuallyApprovesFollowers: true,
    discoverable: false,
    indexable: false,
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((key) => key.multikey),
    attachments: uris.charter === undefined ? [] : charterFields(uris.charter),
  });
}

/**
 * The charter link as a profile field, twice like a project's fields (translate/project.ts): the
 * `PropertyValue` Mastodon shows (HTML value) and the FEP-fb2a `Note`; the pair also keeps
 * `attachment` an array after compaction. The vocabulary has no `cn:charter` property and
 * Fedify drops unknown ones, so NodeInfo's `metadata.charter` carries it for machines.
 */
function charterFields(charter: URL): (PropertyValue | Note)[] {
  const shown = `${charter.host}${charter.pathname}`;
  return [
    new PropertyValue({ name: "Charter", value: `<a href="${escapeHtml(charter.href)}" rel="nofollow noopener noreferrer" target="_blank">${escapeHtml(shown)}</a>` }),
    new Note({ name: "Charter", content: charter.href }),
  ];
}
