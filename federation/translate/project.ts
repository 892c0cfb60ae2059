import type { ActorKeyPair } from "@fedify/fedify";
import { Endpoints, Group, Hashtag, Image, Note, Place, PropertyValue, PUBLIC_COLLECTION, Update } from "@fedify/vocab";
import type { MediaInfo } from "../../server/modules/media/media.service.ts";
import type { ProjectView } from "../../server/modules/projects/project.service.ts";
import { tagUrl } from "../../server/platform/text/markdown.ts";
import { escapeHtml } from "./html.ts";
import { toInstant } from "./temporal.ts";

export interface ProjectUris {
  readonly id: URL;
  /** The project page: the same URL as `id`, content-negotiated. */
  readonly url: URL;
  readonly inbox: URL;
  readonly outbox: URL;
  readonly followers: URL;
  readonly featured: URL;
  readonly sharedInbox: URL;
  /** Where this node's hashtag pages live (`…/tags/`). */
  readonly tagBase: URL;
}

/**
 * A project as the `Group` Mastodon reads (docs/mastodon.md#actors): summary as allowlisted HTML,
 * avatar and banner as `Image` objects (a bare URL would be fetched as JSON and show nothing),
 * profile fields as `PropertyValue`s, open to follow and to discovery. The first key is RSA-2048
 * (`publicKey`, what Mastodon verifies); all keys, Ed25519 included, are `assertionMethod`s.
 */
export function toProjectGroup(project: ProjectView, uris: ProjectUris, keys: readonly ActorKeyPair[]): Group {
  return new Group({
    id: uris.id,
    preferredUsername: project.handle,
    name: project.name,
    summary: project.summaryHtml,
    url: uris.url,
    inbox: uris.inbox,
    outbox: uris.outbox,
    followers: uris.followers,
    featured: uris.featured,
    endpoints: new Endpoints({ sharedInbox: uris.sharedInbox }),
    icon: project.avatar && toProfileImage(project.avatar, `Avatar of ${project.name}`),
    image: project.banner && toProfileImage(project.banner, `Banner of ${project.name}`),
    attachments: profileFields(project, uris.tagBase),
    tags: project.tags.map((tag) => new Hashtag({ href: new URL(tagUrl(uris.tagBase, tag)), name: `#${tag}` })),
    location: project.location && new Place({ name: project.location.name, latitude: project.location.latitude, longitude: project.location.longitude }),
    published: toInstant(project.createdAt),
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: true,
    publicKey: keys[0]?.cryptographicKey ?? null,
    assertionMethods: keys.map((key) => key.multikey),
  });
}

/** `Update(Group)` after a profile edit, public and to the project's followers (the `object.id` is the signer). */
export function toGroupUpdate(group: Group, activityId: URL, followers: URL, updatedAt: Date): Update {
  return new Update({ id: activityId, actor: group.id, object: group, to: PUBLIC_COLLECTION, cc: followers, published: toInstant(updatedAt) });
}

function toProfileImage(media: MediaInfo, fallbackAlt: string): Image {
  return new Image({ url: new URL(media.url), mediaType: media.contentType, name: media.alt || fallbackAlt, width: media.width, height: media.height });
}

interface ProfileField {
  readonly name: string;
  readonly html: string;
  readonly text: string;
}

/**
 * Location, website and tags, each twice: as the schema.org `PropertyValue` Mastodon shows (HTML
 * value), and as the FEP-fb2a `Note` form (plain text) that is replacing it. Besides serving both
 * readers, the pair keeps `attachment` an array after JSON-LD compaction even with one field:
 * Mastodon ignores a non-array `attachment` (process_account_service.rb `property_values`).
 */
function profileFields(project: ProjectView, tagBase: URL): (PropertyValue | Note)[] {
  const fields: ProfileField[] = [];
  const { location, website } = project;
  if (location !== null) {
    const coords = `${location.latitude}, ${location.longitude}`;
    const map = `https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=13/${location.latitude}/${location.longitude}`;
    const label = location.name ?? coords;
    fields.push({ name: "Location", html: `<a href="${escapeHtml(map)}" rel="nofollow noopener noreferrer" target="_blank">${escapeHtml(label)}</a>`, text: location.name ? `${location.name} (${coords})` : coords });
  }
  if (website !== null) {
    const shown = website.replace(/^https?:\/\//, "").replace(/\/$/, "");
    fields.push({ name: "Website", html: `<a href="${escapeHtml(website)}" rel="me nofollow noopener noreferrer" target="_blank">${escapeHtml(shown)}</a>`, text: website });
  }
  if (project.tags.length > 0) {
    const links = project.tags.map((tag) => `<a href="${escapeHtml(tagUrl(tagBase, tag))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`);
    fields.push({ name: "Tags", html: links.join(" "), text: project.tags.map((tag) => `#${tag}`).join(" ") });
  }
  return [
    ...fields.map((f) => new PropertyValue({ name: f.name, value: f.html })),
    ...fields.map((f) => new Note({ name: f.name, content: f.text })),
  ];
}
