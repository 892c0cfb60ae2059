/**
 * Every path of a federated thing, in one place (docs/architecture.md#layers). All local actors share `/@{identifier}`,
 * as Hollo does; HTML pages use the same paths and are content-negotiated.
 */
export const ACTOR_PATH = "/@{identifier}";
export const INBOX_PATH = "/@{identifier}/inbox";
export const OUTBOX_PATH = "/@{identifier}/outbox";
export const FOLLOWERS_PATH = "/@{identifier}/followers";
export const SHARED_INBOX_PATH = "/inbox";
export const NODEINFO_PATH = "/nodeinfo/2.1";

/** The HTML page of a local actor, on the same URL as its ActivityPub document. */
export function actorPagePath(handle: string): string {
  return `/@${handle}`;
}

/** The id of an `Update` of a local actor's profile: fresh for every edit, like Mastodon's `#updates/<n>`. */
export function profileUpdateActivityPath(handle: string, id: string): string {
  return `/@${handle}#updates/${id}`;
}

/** The id of our `Accept` or `Reject` of a Follow, like Mastodon's `#accepts/follows/<n>` (never reused). */
export function followResponseActivityPath(handle: string, kind: "accepts" | "rejects", id: string): string {
  return `/@${handle}#${kind}/follows/${id}`;
}

/** A member's own note (a reply to a remote post). Project updates live at `/updates/` instead. */
export const MEMBER_NOTE_PATH = "/@{handle}/notes/{id}";

export function memberNotePath(handle: string, id: string): string {
  return `/@${handle}/notes/${id}`;
}

/** The `Create` of a member's note, as Mastodon's `<status>/activity`. */
export function memberNoteCreatePath(handle: string, id: string): string {
  return `/@${handle}/notes/${id}/activity`;
}

/** The id of a `Follow` a member sends, like Mastodon's `<actor>#follows/<n>`; its Undo appends `/undo`. */
export function followActivityPath(handle: string, id: string): string {
  return `/@${handle}#follows/${id}`;
}

/** A project's update: a `Note` whose id is also its HTML page (content-negotiated). */
export const NOTE_PATH = "/@{handle}/updates/{id}";
/** Pinned posts (Mastodon's `featured`, app/services/activitypub/fetch_featured_collection_service.rb). */
export const FEATURED_PATH = "/@{identifier}/featured";
/** Hashtag pages, which Markdown hashtags and `Hashtag` tags link to. */
export const TAGS_PATH_PREFIX = "/tags/";

export function notePath(handle: string, id: string): string {
  return `/@${handle}/updates/${id}`;
}

/**
 * A directory entry's IRI at its origin (a project's listing: the slug is its handle). Served by
 * web/routes/directory.ts: JSON-LD for ActivityPub clients, a redirect to the listed page for browsers.
 */
export const DIRECTORY_ENTRY_PATH = "/directory/entries/{slug}";

export function directoryEntryPath(slug: string): string {
  return `/directory/entries/${slug}`;
}

/** The node's charter: the current version at CHARTER_PATH, each version at its own permanent URL. */
export const CHARTER_PATH = "/charter";

export function charterVersionPath(version: number): string {
  return `/charter/v${version}`;
}

/**
 * The node actor's directory: a paged OrderedCollection of the entries a new peer backfills (ours,
 * and those we may forward). Only the node actor has one; a peer finds it at `<node actor>/directory`.
 */
export const DIRECTORY_COLLECTION_PATH = "/@{identifier}/directory";

/** Ids of the node actor's directory activities (Create, Update, Delete, Announce), never reused. */
export function directoryActivityPath(handle: string, kind: "creates" | "updates" | "deletes" | "announces", id: string): string {
  return `/@${handle}#directory/${kind}/${id}`;
}

// Designs (docs/designs.md): a design is the shared `/@{identifier}` actor (a `Service`); its releases,
// their files and exports, and its forks and made-here collections live under it. Versions and file
// names are single path segments (checked by server/modules/designs), escaped here all the same.
const seg = (value: string): string => encodeURIComponent(value);

/** A release: its `Release` object for ActivityPub clients, its page for browsers. */
export const RELEASE_PATH = "/@{handle}/releases/{version}";

export function releasePath(handle: string, version: string): string {
  return `/@${handle}/releases/${seg(version)}`;
}

/** A file of a release, downloaded by its name. */
export function releaseFilePath(handle: string, version: string, name: string): string {
  return `${releasePath(handle, version)}/files/${seg(name)}`;
}

/** The raster preview (WebP) of a file of a release. */
export function releaseFilePreviewPath(handle: string, version: string, name: string): string {
  return `${releaseFilePath(handle, version, name)}/preview`;
}

/** The release's Open Know-How manifest (TOML), and the same manifest as JSON-LD. */
export function releaseManifestPath(handle: string, version: string, format: "toml" | "jsonld"): string {
  return `${releasePath(handle, version)}/okh.${format === "toml" ? "toml" : "jsonld"}`;
}

/** The release as a zip, with a checksum list. */
export function releaseArchivePath(handle: string, version: string): string {
  return `${releasePath(handle, version)}/archive.zip`;
}

/** The releases of a design, newest first. */
export function releasesPath(handle: string): string {
  return `/@${handle}/releases`;
}

/** Forks of a design (ForgeFed `forks`), here and on other nodes. */
export function designForksPath(handle: string): string {
  return `/@${handle}/forks`;
}

/** Made-here reports of a design's releases. */
export function designMadePath(handle: string): string {
  return `/@${handle}/made`;
}

/** The `Create` of a release sent to peers. */
export function releaseCreateActivityPath(handle: string, version: string): string {
  return `${releasePath(handle, version)}/activity`;
}

/**
 * A "made here" report (a ValueFlows `produce` EconomicEvent) by a member of this node; its `Create`
 * is `<report>/activity`. The design's Note telling its followers is `<design>/made/{id}`, an item
 * of the design's made-here collection (designMadePath).
 */
export const MADE_REPORT_PATH = "/made/{id}";

export function madeReportPath(id: string): string {
  return `/made/${id}`;
}

export function madeReportCreatePath(id: string): string {
  return `/made/${id}/activity`;
}

export function madeNotePath(handle: string, id: string): string {
  return `/@${handle}/made/${id}`;
}

/** A design's forks made on other nodes (ForgeFed `forks`): an OrderedCollection of their design IRIs. */
export const DESIGN_FORKS_PATH = "/@{identifier}/forks";

/** The id of a design's `Create` announcing it as a fork, or of its `Accept`/`Reject` of another's (never reused). */
export function designForkActivityPath(handle: string, kind: "creates" | "accepts" | "rejects", id: string): string {
  return `/@${handle}#${kind}/forks/${id}`;
}
