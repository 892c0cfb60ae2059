import type { Db } from "../../db/database.ts";
import { countMadeByRelease, countMadeForDesigns, findMadeReportById, findMadeReportByIri, listMadeReportsForDesign, madeCitiesByRelease, type MadeCount, type MapPoint, madeMapPoints } from "./made-report.queries.ts";
import type { MadeReportInput, RemoteMadeReport } from "./made-report.schema.ts";
import { type MadeDirectoryPort, type MadeReportDesigns, type MadeReportPublisher, type MadeReportView, type ReceivedFor, receiveReport, type Reporter, reportBuild } from "./made-report.service.ts";

export type { MadeCount, MadeReportRecord, MapPoint } from "./made-report.queries.ts";
export type { MadeReportInput, RemoteMadeReport, RemoteMadeReportInput } from "./made-report.schema.ts";
export { MadeReportSchema, RemoteMadeReportSchema } from "./made-report.schema.ts";
export { chainOf } from "./made-report.service.ts";
export type { MadeDesign, MadeDirectoryPort, MadeListing, MadeRelease, MadeReportDesigns, MadeReportPublisher, MadeReportView, MadeSubject, ReceivedFor, Reporter } from "./made-report.service.ts";

/** What the made-reports service is made with, once, when the node starts. */
export interface MadeReportsServiceDeps {
  readonly db: Db;
  readonly publicUrl: URL;
  /** The designs service (server/modules/designs): releases and designs by handle. */
  readonly designs: MadeReportDesigns;
  /** The outbox port: federation/made-reports.ts turns a report into its activities. */
  readonly publisher: MadeReportPublisher;
  /** The directory port (federation/design-listing.ts): a design's listing shows its builds. */
  readonly directory?: MadeDirectoryPort;
}

const NO_COUNT: MadeCount = { made: 0, cities: 0 };

/**
 * The one entry to "made here" reports (the `made_reports` table, which only this module writes):
 * builds of a release reported by members here or received along a fork chain from other nodes,
 * their counts per release and design (distinct places as cities), and the points of a design's map.
 */
export function createMadeReportsService(deps: MadeReportsServiceDeps) {
  const { db } = deps;
  return {
    /** A member of this node reports a build of a local release (404 naming the release when it does not exist). */
    report: (reporter: Reporter, handle: string, version: string, input: MadeReportInput): Promise<MadeReportView> =>
      reportBuild(deps, reporter, handle, version, input),

    /** A report received from another node, filed under a local design; idempotent on the report's IRI. */
    receive: (report: RemoteMadeReport, target: ReceivedFor): Promise<"stored" | "duplicate"> => receiveReport(deps, report, target),

    byIri: (iri: string) => findMadeReportByIri(db, iri),
    byId: (id: string) => findMadeReportById(db, id),

    /** Every report filed under a local design (its releases', and those along chains that reached it), latest build first. */
    async forDesign(handle: string, limit = 200, offset = 0) {
      const design = await deps.designs.require(handle);
      return { design, reports: await listMadeReportsForDesign(db, design.actorId, limit, offset) };
    },

    /** Per release IRI: times made and distinct cities, one query; a release never made counts zero. */
    async countsFor(releaseIris: readonly string[]): Promise<Map<string, MadeCount>> {
      const counts = await countMadeByRelease(db, releaseIris);
      return new Map(releaseIris.map((iri) => [iri, counts.get(iri) ?? NO_COUNT]));
    },

    /** One release: times made, and its distinct places by name (the release's `madeCount` and `cities`). */
    async ofRelease(releaseIri: string): Promise<{ count: number; cities: string[] }> {
      const [counts, cities] = await Promise.all([countMadeByRelease(db, [releaseIri]), madeCitiesByRelease(db, [releaseIri])]);
      return { count: counts.get(releaseIri)?.made ?? 0, cities: cities.get(releaseIri) ?? [] };
    },

    /** Every report filed under a local design. */
    async countForDesign(designActorId: number): Promise<MadeCount> {
      return (await countMadeForDesigns(db, [designActorId])).get(designActorId) ?? NO_COUNT;
    },

    /** The same for several designs (a directory page), one query. */
    async countsForDesigns(designActorIds: readonly number[]): Promise<Map<number, MadeCount>> {
      const counts = await countMadeForDesigns(db, designActorIds);
      return new Map(designActorIds.map((id) => [id, counts.get(id) ?? NO_COUNT]));
    },

    /** The map of a design's builds: one point per distinct place, with how many were made there. */
    mapPoints: (designActorId: number): Promise<MapPoint[]> => madeMapPoints(db, designActorId),
  };
}

export type MadeReportsService = ReturnType<typeof createMadeReportsService>;
