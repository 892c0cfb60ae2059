import { type RawBuilder, type Selectable, sql } from "kysely";
import type { DirectoryEntryTable } from "../../db/database.ts";

/** A directory entry as stored: a local project's listing or one received from a peer. */
export interface DirectoryEntry {
  readonly id: number;
  /** Its stable URL at its origin, `<origin node>/directory/entries/<handle>`; unique here. */
  readonly iri: string;
  readonly kind: string;
  readonly name: string;
  /** Plain text. */
  readonly summary: string;
  readonly tags: readonly string[];
  readonly location: { readonly name: string | null; readonly latitude: number; readonly longitude: number } | null;
  readonly locality: string | null;
  readonly region: string | null;
  readonly country: string | null;
  readonly bioregion: string | null;
  /** The page of the listed thing (a project's page). */
  readonly url: string;
  /** The actor IRI of the node that published it, and that node's host. */
  readonly origin: string;
  readonly originHost: string;
  /** The project's actor when the entry is local. */
  readonly localActorId: number | null;
  /** The peer it came from (null for local entries). */
  readonly receivedFromPeerId: number | null;
  /** 0 for local entries, 1 when received from the origin itself, 2 when forwarded once, … */
  readonly hops: number;
  /** How far the origin lets it travel (its charter's hop limit when published). */
  readonly maxHops: number;
  readonly updatedAt: Date;
  readonly receivedAt: Date;
  /** A design listing's licence (canonical SPDX id) and latest released version; null for other kinds. */
  readonly licence: string | null;
  readonly latestVersion: string | null;
  /** How many builds of a design were reported, and where (at most MADE_POINTS_MAX places). */
  readonly madeCount: number;
  readonly madePoints: readonly MadePoint[];
}

/** Where a design was made. */
export interface MadePoint {
  readonly latitude: number;
  readonly longitude: number;
}

export type DirectoryEntryRow = Omit<Selectable<DirectoryEntryTable>, "search">;

export const ENTRY_COLUMNS = [
  "id",
  "iri",
  "kind",
  "name",
  "summary",
  "tags",
  "location_name",
  "latitude",
  "longitude",
  "locality",
  "region",
  "country",
  "bioregion",
  "url",
  "origin",
  "origin_host",
  "local_actor_id",
  "received_from_peer_id",
  "hops",
  "max_hops",
  "updated_at",
  "received_at",
  "licence",
  "latest_version",
  "made_count",
  "made_points",
] as const;

export function rowToEntry(row: DirectoryEntryRow): DirectoryEntry {
  return {
    id: row.id,
    iri: row.iri,
    kind: row.kind,
    name: row.name,
    summary: row.summary,
    tags: row.tags ?? [],
    location: row.latitude === null || row.longitude === null ? null : { name: row.location_name, latitude: row.latitude, longitude: row.longitude },
    locality: row.locality,
    region: row.region,
    country: row.country,
    bioregion: row.bioregion,
    url: row.url,
    origin: row.origin,
    originHost: row.origin_host,
    localActorId: row.local_actor_id,
    receivedFromPeerId: row.received_from_peer_id,
    hops: row.hops,
    maxHops: row.max_hops,
    updatedAt: new Date(row.updated_at),
    receivedAt: new Date(row.received_at),
    licence: row.licence,
    latestVersion: row.latest_version,
    madeCount: row.made_count,
    madePoints: madePointsOf(row.made_points),
  };
}

/** Stored as [latitude, longitude] pairs (compact: up to 500 per entry); anything else is skipped. */
function madePointsOf(value: unknown): MadePoint[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) => (Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "number" ? [{ latitude: p[0], longitude: p[1] }] : []));
}

/** A text[] bound as an array literal, which works the same on postgres.js and PGlite. */
export function textArray(values: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`${`{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`}::text[]`;
}
