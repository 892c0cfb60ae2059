import type { ActorKeyPair } from "@fedify/fedify";
import { Create, Document, Endpoints, Hashtag, LanguageString, Note, PropertyValue, PUBLIC_COLLECTION, Service, Update } from "@fedify/vocab";
import type { DesignView, ReleaseAnnouncement, ReleaseView } from "../../server/modules/designs/index.ts";
import { tagUrl } from "../../server/platform/text/markdown.ts";
import { escapeHtml } from "./html.ts";
import { toInstant } from "./temporal.ts";

/**
 * The terms designs add to ActivityStreams, inline so that no context document is fetched: ForgeFed
 * (https://forgefed.org/spec/: `Release`, `forks`, `isPreRelease`), OKH-LOSH
 * (https://w3id.org/oseg/ont/okh: version, licensor, function, readiness levels, forkOf), SPDX
 * (http://spdx.org/rdf/terms#: `license` / `licenseId`) and our namespace for the rest.
 */
export const DESIGN_TERMS = {
  cn: "https://w3id.org/commonsnet/ns#",
  forge: "https://forgefed.org/ns#",
  okh: "https://w3id.org/oseg/ont/okh#",
  spdx: "http://spdx.org/rdf/terms#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  Release: "forge:Release",
  concreteType: "cn:concreteType",
  forks: { "@id": "forge:forks", "@type": "@id" },
  isPreRelease: { "@id": "forge:isPreRelease", "@type": "xsd:boolean" },
  releases: { "@id": "cn:releases", "@type": "@id" },
  currentRelease: { "@id": "cn:currentRelease", "@type": "@id" },
  madeHere: { "@id": "cn:madeHere", "@type": "@id" },
  manifest: { "@id": "cn:manifest", "@type": "@id" },
  manifestJsonLd: { "@id": "cn:manifestJsonLd", "@type": "@id" },
  archive: { "@id": "cn:archive", "@type": "@id" },
  license: "spdx:license",
  licenseId: "spdx:licenseId",
  documentationLicense: "cn:documentationLicense",
  function: "okh:function",
  licensor: "okh:licensor",
  version: "okh:version",
  technologyReadinessLevel: "okh:technologyReadinessLevel",
  documentationReadinessLevel: "okh:documentationReadinessLevel",
  forkOf: { "@id": "okh:forkOf", "@type": "@id" },
  forkChain: { "@id": "cn:forkChain", "@type": "@json" },
  billOfMaterials: { "@id": "cn:billOfMaterials", "@type": "@json" },
  sha256: "cn:sha256",
  size: { "@id": "cn:size", "@type": "xsd:integer" },
  totalBytes: { "@id": "cn:totalBytes", "@type": "xsd:integer" },
  role: "cn:role",
} as const;

export interface DesignUris {
  readonly id: URL;
  readonly url: URL;
  readonly inbox: URL;
  readonly outbox: URL;
  readonly followers: URL;
  readonly sharedInbox: URL;
  readonly forks: URL;
  readonly made: URL;
  readonly releases: URL;
  readonly tagBase: URL;
  /** The linked local project's actor, if any. */
  readonly project: URL | null;
  /** The newest release, if any. */
  readonly currentRelease: URL | null;
}

const spdxPage = (id: string): string => `https://spdx.org/licenses/${encodeURIComponent(id)}.html`;
const link = (href: string, text: string): string => `<a href="${escapeHtml(href)}" rel="nofollow noopener noreferrer" target="_blank">${escapeHtml(text)}</a>`;

/**
 * A design as a `Service` actor (docs/designs.md#the-design-actor): Mastodon follows it and shows its
 * Notes like any account's (it accepts Service actors, app/models/account.rb `bot`), with the licence,
 * function, current release and origin as profile fields. The repository properties (ForgeFed, OKH,
 * SPDX) Fedify cannot model are added by `withDesignExtensions`.
 */
export function toDesignService(design: DesignView, uris: DesignUris, maintainers: readonly URL[], keys: readonly ActorKeyPair[]): Service {
  return new Service({
    id: uris.id,
    preferredUsername: design.handle,
    name: design.name,
    summary: design.summaryHtml,
    url: uris.url,
    inbox: uris.inbox,
    outbox: uris.outbox,
    followers: uris.followers,
    endpoints: new Endpoints({ sharedInbox: uris.sharedInbox }),
    attributions: [...maintainers],
    contexts: uris.project === null ? [] : [uris.project],
    streams: [uris.releases, uris.forks, uris.made],
    attachments: designFields(design, uris),
    tags: design.tags.map((tag) => new Hashtag({ href: new URL(tagUrl(uris.tagBase, tag)), name: `#${tag}` })),
    published: toInstant(design.createdAt),
    updated: toInstant(design.updatedAt),
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: true,
    publicKey: keys[0]?.cryptographicKey ?? null,
    assertionMethods: keys.map((key) => key.multikey),
  });
}

/**
 * Licence, documentation licence, function, current release and origin, each as the `PropertyValue`
 * Mastodon shows and its FEP-fb2a `Note` twin (the pair keeps `attachment` an array, as a project's
 * fields do in translate/project.ts).
 */
function designFields(design: DesignView, uris: DesignUris): (PropertyValue | Note)[] {
  const fields: { name: string; html: string; text: string }[] = [{ name: "Licence", html: link(spdxPage(design.licence), design.licence), text: design.licence }];
  if (design.documentationLicence !== null) {
    fields.push({ name: "Documentation licence", html: link(spdxPage(design.documentationLicence), design.documentationLicence), text: design.documentationLicence });
  }
  if (design.function !== "") fields.push({ name: "Function", html: escapeHtml(design.function), text: design.function });
  if (uris.currentRelease !== null) {
    const version = decodeURIComponent(uris.currentRelease.pathname.split("/").at(-1) ?? "");
    fields.push({ name: "Current release", html: link(uris.currentRelease.href, version), text: uris.currentRelease.href });
  }
  if (design.forkOf !== null) fields.push({ name: "Forked from", html: link(design.forkOf, design.forkChain.at(-1)?.name ?? design.forkOf), text: design.forkOf });
  return [...fields.map((f) => new PropertyValue({ name: f.name, value: f.html })), ...fields.map((f) => new Note({ name: f.name, content: f.text }))];
}

/** The repository properties (docs/designs.md#the-design-actor) added to the actor's compact JSON-LD, with their terms inline. */
export function withDesignExtensions(json: Record<string, unknown>, design: DesignView, uris: DesignUris): Record<string, unknown> {
  const context = Array.isArray(json["@context"]) ? json["@context"] : [json["@context"]];
  return {
    ...json,
    "@context": [...context, DESIGN_TERMS],
    concreteType: "DesignRepository",
    forks: uris.forks.href,
    releases: uris.releases.href,
    ...(uris.currentRelease !== null && { currentRelease: uris.currentRelease.href }),
    madeHere: uris.made.href,
    license: { licenseId: design.licence },
    ...(design.documentationLicence !== null && { documentationLicense: design.documentationLicence }),
    ...(design.function !== "" && { function: design.function }),
    ...(design.licensor !== "" && { licensor: design.licensor }),
    ...(design.forkOf !== null && { forkOf: design.forkOf, forkChain: design.forkChain }),
  };
}

/** `Update(Service)` after an edit, public and to the design's followers. */
export function toServiceUpdate(service: Service, activityId: URL, followers: URL, updatedAt: Date): Update {
  return new Update({ id: activityId, actor: service.id, object: service, to: PUBLIC_COLLECTION, cc: followers, published: toInstant(updatedAt) });
}

export interface AnnouncementUris {
  /** The Note's id (`/@{design}/updates/{release id}`), also its page. */
  readonly id: URL;
  readonly design: URL;
  readonly followers: URL;
  /** Where this node's hashtag pages live (`…/tags/`). */
  readonly tagBase: URL;
}

/** Announcements are written in English for now; Mastodon takes the language from `contentMap`. */
const LANGUAGE = "en";

/**
 * The followers' Note about a release: public, from the design, with the raster previews as
 * `Document` attachments (`url`, `mediaType` image/webp, `name` = the file's name), which Mastodon
 * shows as images (media_attachment_parser.rb reads url and mediaType, not the type).
 */
export function toAnnouncementNote(
  announcement: ReleaseAnnouncement,
  release: ReleaseView,
  previews: readonly { name: string; url: string; width: number; height: number }[],
  tags: readonly string[],
  uris: AnnouncementUris,
): Note {
  return new Note({
    id: uris.id,
    url: new URL(release.url),
    attribution: uris.design,
    published: toInstant(announcement.publishedAt),
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    contents: [announcement.contentHtml, new LanguageString(announcement.contentHtml, LANGUAGE)],
    sensitive: false,
    // The design's hashtags, so the release shows in those tags' timelines (Mastodon reads `tag`, process_hashtags).
    tags: tags.map((tag) => new Hashtag({ href: new URL(tagUrl(uris.tagBase, tag)), name: `#${tag}` })),
    attachments: previews.slice(0, 4).map((p) => new Document({ url: new URL(p.url), mediaType: "image/webp", name: p.name, width: p.width, height: p.height })),
  });
}

/** `Create(Note)`, the activity's actor being the Note's author. */
export function toAnnouncementCreate(note: Note, uris: AnnouncementUris, publishedAt: Date): Create {
  return new Create({ id: new URL(`${uris.id.href}#create`), actor: uris.design, object: note, tos: [PUBLIC_COLLECTION], ccs: [uris.followers], published: toInstant(publishedAt) });
}

export interface ReleaseUris {
  readonly design: URL;
  readonly manifest: URL;
  readonly manifestJsonLd: URL;
  readonly archive: URL;
  /** The preview URL of each file that has one, by file name. */
  readonly previews: ReadonlyMap<string, string>;
}

/**
 * A ForgeFed `Release` that is also an ActivityStreams `Document`: software that knows no `Release`
 * (Fedify among them, whose parser refuses an activity whose object has only unknown types) reads
 * the Document, and ForgeFed readers the Release.
 */
export const RELEASE_TYPES = ["Release", "Document"] as const;

/**
 * A release as a ForgeFed `Release` (https://forgefed.org/vocabulary.html#type-release) with the
 * OKH-LOSH and SPDX properties: name "v<version>", notes as `content`, `context` the design, files as
 * `Link` attachments with their SHA-256 and size, and the manifest and zip. Plain JSON: Fedify's
 * vocabulary has no `Release` type and drops unknown terms.
 */
export function toReleaseObject(design: DesignView, release: ReleaseView, uris: ReleaseUris): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/activitystreams", DESIGN_TERMS],
    ...releaseBody(design, release, uris),
  };
}

function releaseBody(design: DesignView, release: ReleaseView, uris: ReleaseUris): Record<string, unknown> {
  return {
    id: release.iri,
    type: RELEASE_TYPES,
    name: `v${release.version}`,
    summary: `${design.name} ${release.version}`,
    ...(release.notesHtml !== "" && { content: release.notesHtml }),
    context: uris.design.href,
    attributedTo: uris.design.href,
    url: release.url,
    published: release.publishedAt.toISOString(),
    isPreRelease: release.version.includes("-"),
    version: release.version,
    ...(design.licensor !== "" && { licensor: design.licensor }),
    ...(release.trl !== null && { technologyReadinessLevel: release.trl }),
    ...(release.drl !== null && { documentationReadinessLevel: release.drl }),
    license: { licenseId: release.licence },
    ...(release.documentationLicence !== null && { documentationLicense: release.documentationLicence }),
    ...(release.forkOf !== null && { forkOf: release.forkOf }),
    billOfMaterials: release.bom,
    totalBytes: release.totalBytes,
    manifest: uris.manifest.href,
    manifestJsonLd: uris.manifestJsonLd.href,
    archive: uris.archive.href,
    attachment: [
      ...release.files.map((file) => ({
        type: "Link",
        name: file.name,
        mediaType: file.mediaType,
        href: file.url,
        sha256: file.sha256,
        size: file.size,
        ...(file.role !== null && { role: file.role }),
        // ActivityStreams' own `preview` (https://www.w3.org/TR/activitystreams-vocabulary/#dfn-preview).
        ...(uris.previews.has(file.name) && { preview: uris.previews.get(file.name) }),
      })),
      { type: "Link", name: "okh.toml", mediaType: "application/toml", href: uris.manifest.href, role: "manifest" },
      { type: "Link", name: "archive.zip", mediaType: "application/zip", href: uris.archive.href, role: "archive" },
    ],
  };
}

/** `Create(Release)` from the design to the peers, the release embedded with the same inline terms. */
export function toReleaseCreate(design: DesignView, release: ReleaseView, uris: ReleaseUris, activityId: URL, recipients: readonly URL[]): Record<string, unknown> {
  return {
    "@context": ["https://www.w3.org/ns/activitystreams", DESIGN_TERMS],
    id: activityId.href,
    type: "Create",
    actor: uris.design.href,
    to: recipients.map((r) => r.href),
    published: release.publishedAt.toISOString(),
    object: releaseBody(design, release, uris),
  };
}
