/**
 * The documents a Mastodon 4.6 server publishes about its accounts: the Person (actor_serializer.rb),
 * the instance actor (instance_actors_controller.rb: restricted field set, always public) and
 * WebFinger (webfinger_serializer.rb). Shapes follow those serializers and fixture F10.
 */

export const AS = "https://www.w3.org/ns/activitystreams";
export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
export const SECURITY = "https://w3id.org/security/v1";
export const WEBFINGER_CONTEXT = "https://purl.archive.org/socialweb/webfinger";

/** The actor @context of Mastodon 4.6+ (actor_serializer.rb via context_helper.rb), as in F10. */
export const ACTOR_CONTEXT = [
  AS,
  SECURITY,
  WEBFINGER_CONTEXT,
  {
    manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
    toot: "http://joinmastodon.org/ns#",
    featured: { "@id": "toot:featured", "@type": "@id" },
    featuredTags: { "@id": "toot:featuredTags", "@type": "@id" },
    alsoKnownAs: { "@id": "as:alsoKnownAs", "@type": "@id" },
    movedTo: { "@id": "as:movedTo", "@type": "@id" },
    schema: "http://schema.org#",
    PropertyValue: "schema:PropertyValue",
    value: "schema:value",
    discoverable: "toot:discoverable",
    suspended: "toot:suspended",
    memorial: "toot:memorial",
    indexable: "toot:indexable",
    attributionDomains: { "@id": "toot:attributionDomains", "@container": "@set" },
    showFeatured: "toot:showFeatured",
    showMedia: "toot:showMedia",
    showRepliesInMedia: "toot:showRepliesInMedia",
    gts: "https://gotosocial.org/ns#",
    interactionPolicy: { "@id": "gts:interactionPolicy", "@type": "@id" },
    canFeature: { "@id": "https://w3id.org/fep/7aa9#canFeature", "@type": "@id" },
    canQuote: { "@id": "gts:canQuote", "@type": "@id" },
    automaticApproval: { "@id": "gts:automaticApproval", "@type": "@id" },
    manualApproval: { "@id": "gts:manualApproval", "@type": "@id" },
    focalPoint: { "@container": "@list", "@id": "toot:focalPoint" },
  },
];

export interface AccountInfo {
  readonly origin: string;
  /** `acct:` domain: Mastodon's LOCAL_DOMAIN, here host:port of the loopback server. */
  readonly domain: string;
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly summaryHtml: string;
  readonly publicKeyPem: string;
  readonly published: string;
}

/** Alice's `Person`, as GET <actor> (and the object of Update{Person}) shows it. */
export function personDocument(account: AccountInfo, withContext = true): Record<string, unknown> {
  const { id, origin } = account;
  return {
    ...(withContext && { "@context": ACTOR_CONTEXT }),
    id,
    webfinger: `${account.username}@${account.domain}`,
    type: "Person",
    following: `${id}/following`,
    followers: `${id}/followers`,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    featured: `${id}/collections/featured`,
    featuredTags: `${id}/collections/tags`,
    preferredUsername: account.username,
    name: account.displayName,
    summary: account.summaryHtml,
    url: `${origin}/@${account.username}`,
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: false,
    published: account.published,
    memorial: false,
    showFeatured: true,
    showMedia: true,
    showRepliesInMedia: false,
    interactionPolicy: { canFeature: { automaticApproval: [PUBLIC] } },
    featuredCollections: `${id}/featured_collections`,
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: account.publicKeyPem },
    tag: [],
    attachment: [{ type: "PropertyValue", name: "Pronouns", value: "she/her" }],
    endpoints: { sharedInbox: `${origin}/inbox` },
    icon: { type: "Image", mediaType: "image/png", url: `${origin}/system/accounts/avatars/original/alice.png` },
  };
}

/** The instance actor `/actor`: Application, `mastodon.internal`, restricted fields (finder_concern.rb:15-21). */
export function instanceActorDocument(origin: string, publicKeyPem: string): Record<string, unknown> {
  const id = `${origin}/actor`;
  return {
    "@context": [AS, SECURITY, { manuallyApprovesFollowers: "as:manuallyApprovesFollowers", toot: "http://joinmastodon.org/ns#" }],
    id,
    type: "Application",
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    preferredUsername: "mastodon.internal",
    url: `${origin}/about/more?instance_actor=true`,
    manuallyApprovesFollowers: true,
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem },
    endpoints: { sharedInbox: `${origin}/inbox` },
  };
}

/** WebFinger JRD (webfinger_serializer.rb:20-30): self, profile page, OStatus subscribe and FEP-3b86 intents. */
export function webfingerDocument(origin: string, domain: string, username: string, actorId: string, profileUrl: string | undefined): Record<string, unknown> {
  const links: Record<string, unknown>[] = [];
  if (profileUrl !== undefined) links.push({ rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: profileUrl });
  links.push({ rel: "self", type: "application/activity+json", href: actorId });
  links.push({ rel: "http://ostatus.org/schema/1.0/subscribe", template: `${origin}/authorize_interaction?uri={uri}` });
  links.push({ rel: "https://w3id.org/fep/3b86/Create", template: `${origin}/share?text={content}` });
  links.push({ rel: "https://w3id.org/fep/3b86/Object", template: `${origin}/authorize_interaction?uri={object}` });
  return {
    subject: `acct:${username}@${domain}`,
    aliases: profileUrl === undefined ? [actorId] : [profileUrl, actorId],
    links,
  };
}

/**
 * ActiveSupport's JSON encoding (`to_json`): compact, with `<`, `>`, `&`, U+2028 and U+2029
 * escaped (docs/mastodon.md#signatures). Digests are computed over exactly these bytes.
 */
export function rubyJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
