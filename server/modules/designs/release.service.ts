import type { DbOrTrx } from "../../db/database.ts";
import { conflict, DomainError, notFound } from "../../platform/errors.ts";
import { uuidv7 } from "../../platform/ids.ts";
import { renderMarkdown } from "../../platform/text/markdown.ts";
import { findAnnouncementRecord, insertAnnouncementNote } from "../notes/index.ts";
import type { ActivityDraft, EmitActivity } from "../outbox/index.ts";
import { commitWithActivities } from "../outbox/index.ts";
import { tagBaseUrl } from "../projects/index.ts";
import { findRelease, findReleaseById, latestReleasesOf, listReleases } from "./design.queries.ts";
import { insertRelease, insertReleaseFiles } from "./design.repository.ts";
import type { CreateDesignInput, ReleaseInput } from "./design.schema.ts";
import { type DesignDeps, type ForkOrigin, insertDesignRows, loadDesign, requireDesign, requireDesignMaintainer } from "./design.service.ts";
import { type DesignView, type ReleaseView, type StoredReleaseFile, toReleaseView } from "./design-view.ts";
import { type ReleaseAnnouncement, releaseAnnouncement } from "./release-announcement.ts";
import { versionOrder } from "./release-version.ts";

/**
 * The outbox port of releases: federation/ turns a published release into (a) a `Create(Note)` to
 * the design's followers and the public, which Mastodon shows, and (b) a `Create(Release)` to the
 * peers that understand it. Called inside the release's transaction, so it reads the database only
 * through `trx` (PGlite has one connection).
 */
export type ReleasePublisher = (design: DesignView, release: ReleaseView, announcement: ReleaseAnnouncement, trx: DbOrTrx) => Promise<readonly ActivityDraft[]>;

/** What publishing needs of the designs' outbox port: the release's activities, and the actor's Update when its current release changes. */
export interface ReleasePublishers {
  readonly released: ReleasePublisher;
  profileUpdated(design: DesignView, options?: { readonly currentVersion?: string }): Promise<ActivityDraft>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Files a release row can hold: distinct names, hashes of the store's form. The files' code checked the names and bytes. */
function checkFiles(files: readonly StoredReleaseFile[]): void {
  const seen = new Set<string>();
  files.forEach((file, index) => {
    const problem = seen.has(file.name)
      ? `“${file.name.slice(0, 100)}” is given twice`
      : !SHA256.test(file.sha256) || (file.preview !== null && !SHA256.test(file.preview.sha256))
        ? "has no SHA-256 of the stored bytes"
        : !Number.isSafeInteger(file.size) || file.size < 0
          ? "has no size"
          : null;
    if (problem !== null) throw new DomainError("invalid_input", "invalid_input", `files.${index}: ${problem}.`, [{ path: `files.${index}`, message: problem }]);
    seen.add(file.name);
  });
}

/**
 * Publishes a release (maintainers only): the version is unique per design (409 otherwise: a release
 * never changes, a correction is a new version). The release, its files, the followers' announcement
 * Note and the activities to followers and peers commit in one transaction, or none of them does.
 */
export async function publishRelease(
  deps: DesignDeps,
  memberActorId: number,
  handle: string,
  input: ReleaseInput,
  files: readonly StoredReleaseFile[],
  publisher: ReleasePublishers,
  options: { forkOf?: string } = {},
): Promise<ReleaseView> {
  const design = await requireDesign(deps.db, deps.publicUrl, handle);
  await requireDesignMaintainer(deps.db, design, memberActorId);
  checkFiles(files);
  const taken = () => conflict(`version ${input.version} already exists; a correction is a new version.`);
  if ((await findRelease(deps.db, design.actorId, input.version)) !== undefined) throw taken();
  const release = newReleaseView(deps, design, input, files, options);
  // A new newest version changes the actor's "Current release": followers' servers refresh it from an
  // Update (built before the transaction, as an edit's is: building the actor loads its keys).
  const latest = (await latestReleasesOf(deps.db, [design.actorId])).get(design.actorId);
  const newest = latest === undefined || versionOrder(release.version) > latest.versionOrder;
  const profileUpdate = newest ? await publisher.profileUpdated(design, { currentVersion: release.version }) : undefined;
  await commitWithActivities(deps.db, async (trx, emit) => {
    await insertReleaseRows(deps, trx, emit, design, release, files, publisher);
    if (profileUpdate !== undefined) await emit(profileUpdate);
  });
  return await requireRelease(deps.db, deps.publicUrl, design.handle, release.version);
}

/**
 * Creates a design and publishes its first release in one transaction (a fork, an imported
 * manifest): either both are stored, with their activities, or neither. A new design has no
 * followers yet, so no `Update` of its current release is needed.
 */
export async function createDesignWithRelease(
  deps: DesignDeps,
  creatorActorId: number,
  designInput: CreateDesignInput,
  fork: ForkOrigin | undefined,
  input: ReleaseInput,
  files: readonly StoredReleaseFile[],
  publisher: ReleasePublishers,
): Promise<{ design: DesignView; release: ReleaseView }> {
  checkFiles(files);
  const handle = await commitWithActivities(deps.db, async (trx, emit) => {
    const created = await insertDesignRows(deps, trx, emit, creatorActorId, designInput, fork);
    const design = await requireDesign(trx, deps.publicUrl, created.handle);
    const release = newReleaseView(deps, design, input, files, { forkOf: fork?.forkOf });
    await insertReleaseRows(deps, trx, emit, design, release, files, publisher);
    return created.handle;
  });
  const design = await requireDesign(deps.db, deps.publicUrl, handle);
  return { design, release: await requireRelease(deps.db, deps.publicUrl, handle, input.version) };
}

function newReleaseView(deps: DesignDeps, design: DesignView, input: ReleaseInput, files: readonly StoredReleaseFile[], options: { forkOf?: string | undefined }): ReleaseView {
  const now = Date.now();
  return toReleaseView(deps.publicUrl, design.handle, {
    id: uuidv7(now),
    designActorId: design.actorId,
    version: input.version,
    versionOrder: versionOrder(input.version),
    notesMarkdown: input.notes,
    notesHtml: renderMarkdown(input.notes, { tagBaseUrl: tagBaseUrl(deps.publicUrl) }).html,
    trl: input.trl,
    drl: input.drl,
    bom: input.bom,
    licence: design.licence,
    documentationLicence: design.documentationLicence,
    forkOf: options.forkOf ?? null,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    publishedAt: new Date(now),
    files: files.map((file) => ({ ...file })),
  });
}

/** The release, its files, the announcement Note and the activities to followers and peers, in the caller's transaction. */
async function insertReleaseRows(
  deps: DesignDeps,
  trx: DbOrTrx,
  emit: EmitActivity,
  design: DesignView,
  release: ReleaseView,
  files: readonly StoredReleaseFile[],
  publisher: ReleasePublishers,
): Promise<void> {
  const announcement = releaseAnnouncement(design, release);
  // The unique constraint decides between two maintainers publishing the same version at once.
  const inserted = await insertRelease(trx, { ...release, designActorId: design.actorId, versionOrder: versionOrder(release.version) });
  if (!inserted) throw conflict(`version ${release.version} already exists; a correction is a new version.`);
  await insertReleaseFiles(trx, release.id, files);
  await insertAnnouncementNote(trx, { id: announcement.id, authorActorId: design.actorId, contentSource: announcement.contentSource, contentHtml: announcement.contentHtml, publishedAt: announcement.publishedAt });
  for (const draft of await publisher.released(design, release, announcement, trx)) await emit(draft);
  await deps.listing?.changed(trx, design, emit);
}

export async function requireRelease(db: DbOrTrx, publicUrl: URL, handle: string, version: string): Promise<ReleaseView> {
  const design = await requireDesign(db, publicUrl, handle);
  const record = await findRelease(db, design.actorId, version);
  if (record === undefined) throw notFound(`@${design.handle} has no release ${version.slice(0, 64)}.`);
  return toReleaseView(publicUrl, design.handle, record);
}

/** Newest version first. */
export async function listDesignReleases(db: DbOrTrx, publicUrl: URL, handle: string): Promise<ReleaseView[]> {
  const design = await requireDesign(db, publicUrl, handle);
  return (await listReleases(db, design.actorId)).map((record) => toReleaseView(publicUrl, design.handle, record));
}

/** `https://this.node/@{handle}/releases/{version}` → handle and version; anything else → undefined. */
export function parseReleaseIri(publicUrl: URL, iri: string): { handle: string; version: string } | undefined {
  if (!URL.canParse(iri)) return undefined;
  const url = new URL(iri);
  if (url.origin !== publicUrl.origin || url.search !== "" || url.hash !== "") return undefined;
  const match = /^\/@([^/]+)\/releases\/([^/]+)$/.exec(url.pathname);
  if (match === null) return undefined;
  try {
    return { handle: decodeURIComponent(match[1]!), version: decodeURIComponent(match[2]!) };
  } catch {
    return undefined;
  }
}

/** A local release by its IRI, with its design; undefined for anything else. */
export async function releaseByIri(db: DbOrTrx, publicUrl: URL, iri: string): Promise<{ design: DesignView; release: ReleaseView } | undefined> {
  const parsed = parseReleaseIri(publicUrl, iri);
  if (parsed === undefined) return undefined;
  const design = await loadDesign(db, publicUrl, parsed.handle);
  // Only the IRI as minted names the release: handles are stored lower case.
  if (design === undefined || design.handle !== parsed.handle) return undefined;
  const record = await findRelease(db, design.actorId, parsed.version);
  return record && { design, release: toReleaseView(publicUrl, design.handle, record) };
}

/** A design's release announcement (a live note of the design's whose id is a release's), with what it announces. */
export async function findAnnouncement(
  db: DbOrTrx,
  publicUrl: URL,
  handle: string,
  noteId: string,
): Promise<{ design: DesignView; release: ReleaseView; announcement: ReleaseAnnouncement } | undefined> {
  const design = await loadDesign(db, publicUrl, handle);
  if (design === undefined) return undefined;
  const [note, record] = await Promise.all([findAnnouncementRecord(db, design.actorId, noteId), findReleaseById(db, design.actorId, noteId)]);
  if (note === undefined || note.deletedAt !== null || record === undefined) return undefined;
  return {
    design,
    release: toReleaseView(publicUrl, design.handle, record),
    announcement: { id: note.id, contentSource: note.contentSource, contentHtml: note.contentHtml, publishedAt: note.publishedAt },
  };
}
