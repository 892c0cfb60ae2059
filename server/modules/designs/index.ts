import type { Db, DbOrTrx } from "../../db/database.ts";
import { forbidden, notFound } from "../../platform/errors.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import { type DesignMaintainer, findDesignByActorId, isBlobReferenced, isDesignMaintainer, latestReleasesOf, listDesignMaintainers, listDesigns } from "./design.queries.ts";
import type { AddDesignMaintainerInput, CreateDesignInput, EditDesignInput, ReleaseInput } from "./design.schema.ts";
import { addDesignMaintainer, createDesign, type DesignListingPort, editDesign, type ForkOrigin, loadDesign, requireDesign } from "./design.service.ts";
import { type DesignView, type ReleaseView, type StoredReleaseFile, toDesignView, toReleaseView } from "./design-view.ts";
import { createDesignWithRelease, findAnnouncement, listDesignReleases, parseReleaseIri, publishRelease, type ReleasePublisher, releaseByIri, requireRelease } from "./release.service.ts";

export type { DesignMaintainer } from "./design.queries.ts";
export type { DesignListingPort, ForkOrigin } from "./design.service.ts";
export type { DesignView, FilePreview, ReleaseFileView, ReleaseView, StoredReleaseFile } from "./design-view.ts";
export { previewUrlOf } from "./design-view.ts";
export type { ReleaseAnnouncement } from "./release-announcement.ts";
export type { ReleasePublisher } from "./release.service.ts";
export { parseReleaseIri } from "./release.service.ts";
export * from "./design.schema.ts";

/**
 * The outbox ports of designs: federation/ turns an edited design into an `Update(Service)` to its
 * followers, and a published release into the followers' Note and the peers' `Create(Release)`.
 */
export interface DesignPublisher {
  /** `currentVersion`: the release the actor names as current, when it is not yet stored (a release being published). */
  profileUpdated(design: DesignView, options?: { readonly currentVersion?: string }): Promise<ActivityDraft>;
  released: ReleasePublisher;
}

/**
 * What the forks and made-here modules know of a design, for its read models (the API's counts).
 * Wired in server/app/services.ts once those modules exist; without it every count is 0.
 */
export interface DesignCounts {
  /** Forks of the design recorded on this node (its `forks` collection's size). */
  forksOf(design: DesignView): Promise<number>;
  /** Builds reported of the design's releases, all versions together. */
  madeOfDesign(design: DesignView): Promise<number>;
  /** Builds reported of one release, and the distinct cities they were made in. */
  madeOfRelease(release: ReleaseView): Promise<{ readonly count: number; readonly cities: readonly string[] }>;
}

const NO_COUNTS: DesignCounts = {
  forksOf: async () => 0,
  madeOfDesign: async () => 0,
  madeOfRelease: async () => ({ count: 0, cities: [] }),
};

/** What the designs service is made with, once, when the node starts. */
export interface DesignsServiceDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly publicUrl: URL;
  readonly publisher: DesignPublisher;
  /** The forks' and made-here modules' counts; optional so designs work before (and without) them. */
  readonly counts?: DesignCounts;
  /** The directory's listing of designs, kept in step in each change's transaction; optional likewise. */
  readonly listing?: DesignListingPort;
}

/**
 * The one entry to designs (`Service` actors members create and maintain, with immutable releases)
 * for the API, the pages, the other design modules (files, forks, made-here, OKH) and the inbox.
 */
export function createDesignsService(deps: DesignsServiceDeps) {
  const { db, publicUrl, publisher } = deps;
  const designDeps = { db, box: deps.box, publicUrl, listing: deps.listing };
  const counts = deps.counts ?? NO_COUNTS;

  return {
    find: (handle: string): Promise<DesignView | undefined> => loadDesign(db, publicUrl, handle),
    /** 404 when there is no such design. */
    require: (handle: string): Promise<DesignView> => requireDesign(db, publicUrl, handle),
    async byActorId(actorId: number): Promise<DesignView | undefined> {
      const record = await findDesignByActorId(db, actorId);
      return record && toDesignView(publicUrl, record);
    },
    /** Newest first. */
    async list(limit: number): Promise<DesignView[]> {
      return (await listDesigns(db, limit)).map((record) => toDesignView(publicUrl, record));
    },
    /** The newest release of each design (two queries), by design actor id. */
    async latestReleases(designs: readonly Pick<DesignView, "actorId" | "handle">[]): Promise<Map<number, ReleaseView>> {
      const latest = await latestReleasesOf(db, designs.map((d) => d.actorId));
      const handles = new Map(designs.map((d) => [d.actorId, d.handle]));
      return new Map([...latest].map(([id, record]) => [id, toReleaseView(publicUrl, handles.get(id)!, record)]));
    },

    /** The forks and made-here counts of a design (0 while those modules are not wired). */
    async designCounts(design: DesignView): Promise<{ forksCount: number; madeCount: number }> {
      const [forksCount, madeCount] = await Promise.all([counts.forksOf(design), counts.madeOfDesign(design)]);
      return { forksCount, madeCount };
    },
    /** How many times, and in which distinct cities, a release was built. */
    releaseMadeCounts: (release: ReleaseView) => counts.madeOfRelease(release),

    maintainers: (design: Pick<DesignView, "actorId">): Promise<DesignMaintainer[]> => listDesignMaintainers(db, design.actorId),
    isMaintainer: (design: Pick<DesignView, "actorId">, memberActorId: number): Promise<boolean> => isDesignMaintainer(db, design.actorId, memberActorId),
    /** The design, for someone who must maintain it (404, then 403). */
    async requireMaintainer(handle: string, memberActorId: number): Promise<DesignView> {
      const design = await loadDesign(db, publicUrl, handle);
      if (design === undefined) throw notFound(`There is no design @${handle} on this node.`);
      if (!(await isDesignMaintainer(db, design.actorId, memberActorId))) throw forbidden(`Only maintainers of @${design.handle} may do this.`);
      return design;
    },

    /** A new design; a fork passes the release it came from and the chain back to the original. */
    create: (creatorActorId: number, input: CreateDesignInput, fork?: ForkOrigin): Promise<DesignView> => createDesign(designDeps, creatorActorId, input, fork),
    edit: (editorActorId: number, handle: string, input: EditDesignInput): Promise<DesignView> => editDesign(designDeps, editorActorId, handle, input, (d) => publisher.profileUpdated(d)),
    addMaintainer: (byActorId: number, handle: string, input: AddDesignMaintainerInput): Promise<{ added: boolean; maintainers: DesignMaintainer[] }> =>
      addDesignMaintainer(designDeps, byActorId, handle, input),

    /**
     * Publishes a release of files already in the blob store (409 on a duplicate version; 404, then
     * 403). Stores the release, its files, the followers' Note and the Release to peers in one transaction.
     */
    publishRelease: (memberActorId: number, handle: string, input: ReleaseInput, files: readonly StoredReleaseFile[], options?: { forkOf?: string }): Promise<ReleaseView> =>
      publishRelease(designDeps, memberActorId, handle, input, files, publisher, options),
    /** A new design and its first release in one transaction (forks, imported manifests): both or neither. */
    createWithFirstRelease: (
      creatorActorId: number,
      input: CreateDesignInput,
      fork: ForkOrigin | undefined,
      release: ReleaseInput,
      files: readonly StoredReleaseFile[],
    ): Promise<{ design: DesignView; release: ReleaseView }> => createDesignWithRelease(designDeps, creatorActorId, input, fork, release, files, publisher),
    /** 404 when the design or the version does not exist. */
    release: (handle: string, version: string): Promise<ReleaseView> => requireRelease(db, publicUrl, handle, version),
    /** Newest version first (SemVer-like order). */
    releases: (handle: string): Promise<ReleaseView[]> => listDesignReleases(db, publicUrl, handle),
    /** A local release by its IRI (`/@{handle}/releases/{version}` on this node), with its design. */
    releaseByIri: (iri: string): Promise<{ design: DesignView; release: ReleaseView } | undefined> => releaseByIri(db, publicUrl, iri),
    /** A release announcement Note of the design (`/@{handle}/updates/{id}`), with its release. */
    announcement: (handle: string, noteId: string) => findAnnouncement(db, publicUrl, handle, noteId),
    isLocalReleaseIri: (iri: string): boolean => parseReleaseIri(publicUrl, iri) !== undefined,
    /** Whether any release file or preview uses this blob (the store keeps it while one does). */
    isBlobReferenced: (sha256: string): Promise<boolean> => isBlobReferenced(db, sha256),
  };
}

export type DesignsService = ReturnType<typeof createDesignsService>;

/**
 * A design and its newest release read with a given connection, for code that runs inside a design's
 * transaction (the `DesignListingPort`; PGlite has one connection, so it cannot use the service).
 */
export async function loadDesignWithLatestRelease(db: DbOrTrx, publicUrl: URL, actorId: number): Promise<{ design: DesignView; latest: ReleaseView | null } | undefined> {
  const record = await findDesignByActorId(db, actorId);
  if (record === undefined) return undefined;
  const latest = (await latestReleasesOf(db, [actorId])).get(actorId);
  return { design: toDesignView(publicUrl, record), latest: latest === undefined ? null : toReleaseView(publicUrl, record.handle, latest) };
}
