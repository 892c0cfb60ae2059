import { type Selectable, sql } from "kysely";
import type { DbOrTrx, MadeReportTable } from "../../db/database.ts";
import type { MadeReportRow } from "./made-report.repository.ts";

/** A stored report, with when this node received it. */
export interface MadeReportRecord extends MadeReportRow {
  readonly receivedAt: Date;
}

/** How many times a release (or a design) was made, and in how many distinct places. */
export interface MadeCount {
  readonly made: number;
  readonly cities: number;
}

/** One point of a design's made-here map: the reports in one place. */
export interface MapPoint {
  readonly latitude: number;
  readonly longitude: number;
  readonly place: string;
  readonly count: number;
}

/**
 * A place as counted: case and runs of white space do not make another city ("Lyon", "lyon ",
 * "LYON" are one). Written once, so counts and map points agree.
 */
const normalisedPlace = sql<string>`lower(btrim(regexp_replace(place, '\\s+', ' ', 'g')))`;

function toRecord(row: Selectable<MadeReportTable>): MadeReportRecord {
  return {
    id: row.id,
    iri: row.iri,
    releaseIri: row.release_iri,
    designName: row.design_name,
    version: row.release_version,
    designActorId: row.design_actor_id === null ? null : Number(row.design_actor_id),
    localReleaseId: row.local_release_id,
    reporterIri: row.reporter_iri,
    reporterName: row.reporter_name,
    place: row.place,
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    facility: row.facility,
    directoryEntryIri: row.directory_entry_iri,
    madeAt: new Date(row.made_at),
    notesHtml: row.notes_html,
    deviations: row.deviations,
    photos: row.photos as MadeReportRecord["photos"],
    chain: row.chain as MadeReportRecord["chain"],
    originHost: row.origin_host,
    receivedAt: new Date(row.received_at),
  };
}

export async function findMadeReportByIri(db: DbOrTrx, iri: string): Promise<MadeReportRecord | undefined> {
  const row = await db.selectFrom("made_reports").selectAll().where("iri", "=", iri).executeTakeFirst();
  return row && toRecord(row);
}

export async function findMadeReportById(db: DbOrTrx, id: string): Promise<MadeReportRecord | undefined> {
  const row = await db.selectFrom("made_reports").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toRecord(row);
}

/** The reports that concern a local design (its own releases' and, for an origin, its forks'), latest build first. */
export async function listMadeReportsForDesign(db: DbOrTrx, designActorId: number, limit: number, offset = 0): Promise<MadeReportRecord[]> {
  const rows = await db
    .selectFrom("made_reports")
    .selectAll()
    .where("design_actor_id", "=", designActorId)
    .orderBy("made_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(toRecord);
}

/** Counts per release IRI, one query for any number of releases; releases never made are absent. */
export async function countMadeByRelease(db: DbOrTrx, releaseIris: readonly string[]): Promise<Map<string, MadeCount>> {
  if (releaseIris.length === 0) return new Map();
  const rows = await db
    .selectFrom("made_reports")
    .select(["release_iri", sql<string>`count(*)`.as("made"), sql<string>`count(DISTINCT ${normalisedPlace})`.as("cities")])
    .where("release_iri", "in", [...new Set(releaseIris)])
    .groupBy("release_iri")
    .execute();
  return new Map(rows.map((r) => [r.release_iri, { made: Number(r.made), cities: Number(r.cities) }]));
}

/** Counts over every report that concerns a local design. */
export async function countMadeForDesigns(db: DbOrTrx, designActorIds: readonly number[]): Promise<Map<number, MadeCount>> {
  if (designActorIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("made_reports")
    .select(["design_actor_id", sql<string>`count(*)`.as("made"), sql<string>`count(DISTINCT ${normalisedPlace})`.as("cities")])
    .where("design_actor_id", "in", [...new Set(designActorIds)])
    .groupBy("design_actor_id")
    .execute();
  return new Map(rows.map((r) => [Number(r.design_actor_id), { made: Number(r.made), cities: Number(r.cities) }]));
}

/** One point per distinct place (its mean position and its most common spelling), most reports first. */
export async function madeMapPoints(db: DbOrTrx, designActorId: number): Promise<MapPoint[]> {
  const { rows } = await sql<{ place: string; latitude: number; longitude: number; count: string }>`
    SELECT mode() WITHIN GROUP (ORDER BY btrim(place)) AS place, avg(latitude) AS latitude, avg(longitude) AS longitude, count(*) AS count
      FROM made_reports WHERE design_actor_id = ${designActorId}
     GROUP BY ${normalisedPlace}
     ORDER BY count(*) DESC, 1`.execute(db);
  return rows.map((r) => ({ place: r.place, latitude: Number(r.latitude), longitude: Number(r.longitude), count: Number(r.count) }));
}

/** The distinct places each release was made in (each in its most common spelling), one query. */
export async function madeCitiesByRelease(db: DbOrTrx, releaseIris: readonly string[]): Promise<Map<string, string[]>> {
  if (releaseIris.length === 0) return new Map();
  const { rows } = await sql<{ release_iri: string; place: string }>`
    SELECT release_iri, mode() WITHIN GROUP (ORDER BY btrim(place)) AS place
      FROM made_reports WHERE release_iri IN (${sql.join([...new Set(releaseIris)])})
     GROUP BY release_iri, ${normalisedPlace}
     ORDER BY release_iri, 2`.execute(db);
  const cities = new Map<string, string[]>();
  for (const row of rows) cities.set(row.release_iri, [...(cities.get(row.release_iri) ?? []), row.place.trim()]);
  return cities;
}

/** The coordinates of the newest `limit` reports filed under a design, oldest first (as the directory takes them). */
export async function madePointsForDesign(db: DbOrTrx, designActorId: number, limit: number): Promise<{ latitude: number; longitude: number }[]> {
  const rows = await db
    .selectFrom("made_reports")
    .select(["latitude", "longitude"])
    .where("design_actor_id", "=", designActorId)
    .orderBy("made_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.reverse().map((r) => ({ latitude: Number(r.latitude), longitude: Number(r.longitude) }));
}
