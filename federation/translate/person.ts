import type { ActorKeyPair } from "@fedify/fedify";
import { Endpoints, Image, Person, PUBLIC_COLLECTION, Update } from "@fedify/vocab";
import type { MemberProfile } from "../../server/modules/accounts/index.ts";
import { plainTextToHtml } from "./html.ts";
import { toInstant } from "./temporal.ts";

export interface PersonUris {
  readonly id: URL;
  /** The member's HTML page (same URL as `id`, content-negotiated). */
  readonly url: URL;
  readonly inbox: URL;
  readonly outbox: URL;
  readonly followers: URL;
  readonly following: URL | undefined;
  readonly sharedInbox: URL;
  /** Where the avatar's bytes are served, when there is one. */
  readonly avatar: URL | undefined;
}

/**
 * A member as the `Person` Mastodon reads (docs/mastodon.md#actors): the bio is plain text, escaped
 * into paragraphs; the avatar is an `Image` object (a bare URL string would be fetched as JSON and
 * give no avatar). Members are open to follow and listed in discovery.
 */
export function toPersonActor(profile: MemberProfile, uris: PersonUris, keys: readonly ActorKeyPair[]): Person {
  return new Person({
    id: uris.id,
    preferredUsername: profile.handle,
    name: profile.displayName || profile.handle,
    summary: plainTextToHtml(profile.bio),
    url: uris.url,
    inbox: uris.inbox,
    outbox: uris.outbox,
    followers: uris.followers,
    following: uris.following ?? null,
    endpoints: new Endpoints({ sharedInbox: uris.sharedInbox }),
    icon: profile.avatar !== null && uris.avatar !== undefined ? new Image({ url: uris.avatar, mediaType: profile.avatar.contentType }) : null,
    published: toInstant(profile.createdAt),
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: false,
    publicKey: keys[0]?.cryptographicKey ?? null,
    assertionMethods: keys.map((key) => key.multikey),
  });
}

/**
 * `Update(Person)` after a profile edit, public and to the member's followers, as Mastodon sends it
 * (test/fixtures/mastodon/update-person.json). The id is fresh for every edit, never reused.
 */
export function toPersonUpdate(person: Person, activityId: URL, followers: URL, updatedAt: Date): Update {
  return new Update({
    id: activityId,
    actor: person.id,
    object: person,
    to: PUBLIC_COLLECTION,
    cc: followers,
    published: toInstant(updatedAt),
  });
}
