import type { Db, DbOrTrx, ForkLink, MadePhoto } from "../../db/database.ts";
import { DomainError } from "../../platform/errors.ts";
import { uuidv7 } from "../../platform/ids.ts";
import { renderMarkdown } from "../../platform/text/markdown.ts";
import { madeReportPath } from "../../../federation/uris.ts";
import { findMediaForOwner, toMediaInfo } from "../media/index.ts";
import { commitWithActivities, type EmitActivity } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import type { MadeReportInput, RemoteMadeReport } from "./made-report.schema.ts";
import { insertMadeReport, type MadeReportRow } from "./made-report.repository.ts";
import { countMadeForDesigns, type MadeReportRecord, madePointsForDesign } from "./made-report.queries.ts";

/** What a report needs of a local design (the designs service's DesignView has it). */
export interface MadeDesign {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  readonly licence: string;
  readonly forkChain: readonly ForkLink[];
  readonly iri: string;
  readonly url: string;
}

/** What a report needs of a local release (the designs service's ReleaseView has it). */
export interface MadeRelease {
  readonly id: string;
  readonly version: string;
  readonly licence: string;
  readonly iri: string;
  readonly url: string;
}

/** The designs port: the designs service, reached through its entry (server/modules/designs). */
export interface MadeReportDesigns {
  require(handle: string): Promise<MadeDesign>;
  /** 404 naming the release when the design has no such version. */
  release(handle: string, version: string): Promise<MadeRelease>;
}

/** The member who reports a build. */
export interface Reporter {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
}

/** A report as pages, the API and the translators see it. */
export type MadeReportView = MadeReportRecord;

/** What was built: the release, its design, and the design's chain back to the original (origin first, ending with the design itself). */
export interface MadeSubject {
  readonly design: MadeDesign;
  readonly release: MadeRelease;
  readonly chain: readonly ForkLink[];
}

/**
 * The outbox port of made-here reports (federation/made-reports.ts). Both are called before the
 * transaction: the event's recipients (remote design actors) may have to be looked up first.
 */
export interface MadeReportPublisher {
  /** The reporter's `Create` of the `EconomicEvent`, to every other design actor along the chain. */
  reported(report: MadeReportView, subject: MadeSubject, reporter: Reporter): Promise<readonly ActivityDraft[]>;
  /** The design actor's `Note` to its followers: "Made in <place>: <name> <version> — <notes>". */
  announced(report: MadeReportView, design: Pick<MadeDesign, "handle" | "name">): Promise<ActivityDraft>;
}

/** A design's builds as the directory lists them: how many, and where (oldest first). */
export interface MadeListing {
  readonly count: number;
  readonly points: readonly { readonly latitude: number; readonly longitude: number }[];
}

/**
 * The directory port (the designs' listing port, federation/design-listing.ts): inside the report's
 * transaction, the design's directory entry takes its new count and places, and the change goes to
 * this node's peers.
 */
export interface MadeDirectoryPort {
  madeChanged(trx: DbOrTrx, design: { readonly actorId: number; readonly handle: string }, made: MadeListing, emit: EmitActivity): Promise<void>;
}

export interface MadeReportDeps {
  readonly db: Db;
  readonly publicUrl: URL;
  readonly designs: MadeReportDesigns;
  readonly publisher: MadeReportPublisher;
  /** Optional: without it the directory keeps the builds it has. */
  readonly directory?: MadeDirectoryPort;
}

/** The directory keeps this many places of a design (its `made_near` search and map). */
const LISTED_POINTS_MAX = 500;

/** After a report is stored: the design's listing follows, in the same transaction. */
async function syncListing(deps: MadeReportDeps, trx: DbOrTrx, design: { readonly actorId: number; readonly handle: string }, emit: EmitActivity): Promise<void> {
  if (deps.directory === undefined) return;
  const [count, points] = await Promise.all([countMadeForDesigns(trx, [design.actorId]), madePointsForDesign(trx, design.actorId, LISTED_POINTS_MAX)]);
  await deps.directory.madeChanged(trx, design, { count: count.get(design.actorId)?.made ?? 0, points }, emit);
}

const invalid = (path: string, message: string) => new DomainError("invalid_input", "invalid_input", `${path}: ${message}`, [{ path, message }]);

/** The chain a report of this release travels: the design's own chain, then the design itself. */
export function chainOf(design: MadeDesign, release: MadeRelease, host: string): ForkLink[] {
  return [...design.forkChain, { release: release.iri, design: design.iri, name: design.name, host, licence: release.licence }];
}

/** The photos, each an upload of the reporter's with alt text (422 naming the photo otherwise). */
async function photosOf(deps: MadeReportDeps, reporter: Reporter, input: MadeReportInput): Promise<MadePhoto[]> {
  const ids = input.media.map((m) => m.id);
  const owned = await findMediaForOwner(deps.db, ids, reporter.actorId);
  return input.media.map((requested, index) => {
    const media = owned.find((m) => m.id === requested.id);
    if (media === undefined) throw invalid(`media.${index}.id`, `${requested.id} is not an upload of yours (POST /api/v1/media first)`);
    const alt = (requested.description ?? media.alt).trim();
    if (alt === "") throw invalid(`media.${index}.description`, "the photo needs alt text: describe it for people who cannot see it");
    const info = toMediaInfo(media, deps.publicUrl);
    return { url: info.url, mediaType: info.contentType, alt, width: info.width, height: info.height };
  });
}

/**
 * A member reports that they built a release: stored, with the `Create(EconomicEvent)` to every
 * other design along the fork chain and the design's Note to its followers, in one transaction.
 * Any active member may report; the release must exist (404 naming it).
 */
export async function reportBuild(deps: MadeReportDeps, reporter: Reporter, handle: string, version: string, input: MadeReportInput): Promise<MadeReportView> {
  const design = await deps.designs.require(handle);
  const release = await deps.designs.release(handle, version);
  const photos = await photosOf(deps, reporter, input);
  const id = uuidv7();
  const chain = chainOf(design, release, deps.publicUrl.host);
  const row: MadeReportRow = {
    id,
    iri: new URL(madeReportPath(id), deps.publicUrl).href,
    releaseIri: release.iri,
    designName: design.name,
    version: release.version,
    designActorId: design.actorId,
    localReleaseId: release.id,
    reporterIri: new URL(`/@${reporter.handle}`, deps.publicUrl).href,
    reporterName: reporter.name,
    place: input.place,
    latitude: input.latitude,
    longitude: input.longitude,
    facility: input.facility ?? null,
    directoryEntryIri: input.directoryEntry ?? null,
    madeAt: input.madeAt,
    notesHtml: renderMarkdown(input.notes, { tagBaseUrl: new URL("/tags/", deps.publicUrl) }).html,
    deviations: input.deviations,
    photos,
    chain,
    originHost: deps.publicUrl.host,
  };
  const view: MadeReportView = { ...row, receivedAt: new Date() };
  const drafts = [...(await deps.publisher.reported(view, { design, release, chain }, reporter)), await deps.publisher.announced(view, design)];
  await commitWithActivities(deps.db, async (trx, emit) => {
    await insertMadeReport(trx, row);
    for (const draft of drafts) await emit(draft);
    await syncListing(deps, trx, design, emit);
  });
  return view;
}

/** Where this node files a received report: the local design it concerns, and the release if it is ours. */
export interface ReceivedFor {
  readonly design: Pick<MadeDesign, "actorId" | "handle" | "name">;
  readonly localReleaseId: string | null;
}

/**
 * A report from another node, already checked by federation/ (the event is on its actor's host, and
 * names our release or a design whose chain holds one of ours). Stored once per IRI: a repeat stores
 * nothing and tells nobody; a new one tells the design's followers in the same transaction.
 */
export async function receiveReport(deps: MadeReportDeps, report: RemoteMadeReport, target: ReceivedFor): Promise<"stored" | "duplicate"> {
  const row: MadeReportRow = {
    id: uuidv7(),
    iri: report.iri,
    releaseIri: report.releaseIri,
    designName: report.designName,
    version: report.version,
    designActorId: target.design.actorId,
    localReleaseId: target.localReleaseId,
    reporterIri: report.reporterIri,
    reporterName: report.reporterName,
    place: report.place,
    latitude: report.latitude,
    longitude: report.longitude,
    facility: report.facility,
    directoryEntryIri: report.directoryEntry,
    madeAt: report.madeAt,
    notesHtml: report.notesHtml,
    deviations: report.deviations,
    photos: report.photos,
    chain: report.chain,
    originHost: new URL(report.iri).host,
  };
  const view: MadeReportView = { ...row, receivedAt: new Date() };
  const draft = await deps.publisher.announced(view, target.design);
  return await commitWithActivities(deps.db, async (trx, emit) => {
    if (!(await insertMadeReport(trx, row))) return "duplicate";
    await emit(draft);
    await syncListing(deps, trx, target.design, emit);
    return "stored";
  });
}
