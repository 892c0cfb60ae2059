import { actorPagePath } from "../../../federation/uris.ts";
import type { DbOrTrx } from "../../db/database.ts";
import { publishedHopLimit } from "../charter/charter.service.ts";
import type { ProjectLocation } from "../projects/index.ts";
import type { MadePoint } from "./directory-entry.ts";
import { MADE_POINTS_MAX } from "./directory-entry.schema.ts";
import { findEntryByIri } from "./directory.queries.ts";
import type { LocalEntryFields } from "./directory.repository.ts";
import { type DirectoryChange, listingSummary, localEntryIri, nodeActorIri, removeLocalEntry, upsertLocalListing } from "./local-entries.ts";

/** The builds reported of a design: how many, and where (the directory keeps MADE_POINTS_MAX places). */
export interface MadeSummary {
  readonly count: number;
  readonly points: readonly MadePoint[];
}

/**
 * What the directory shows of a local design. The designs module hands it over in its own
 * transactions (create, edit, publishRelease), as projects hand a `ProjectListing`, so the directory
 * reads no design table. `made` is what made-here reports add; left out, the entry keeps the count
 * and places it has.
 */
export interface DesignListing {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  readonly summaryHtml: string;
  readonly tags: readonly string[];
  /** SPDX id, canonical spelling. */
  readonly licence: string;
  /** The newest release's version, or null before the first release. */
  readonly latestVersion: string | null;
  /**
   * Where the design is placed on the map: given, or (when undefined) the place of the linked local
   * project's own listing, `projectHandle`.
   */
  readonly location?: ProjectLocation | null;
  readonly projectHandle?: string | null;
  readonly listed: boolean;
  readonly made?: MadeSummary;
}

/**
 * Brings a local design's directory entry in line with the design, inside the caller's transaction:
 * a listed design has an entry (kind `design`, with its licence, latest version and builds), an
 * unlisted or deleted one (`undefined`) has none. Returns what changed for the peers (the caller hands
 * it to the directory publisher, as projects do), or null when nothing the directory shows changed.
 */
export async function syncDesignEntry(trx: DbOrTrx, publicUrl: URL, actorId: number, listing: DesignListing | undefined): Promise<DirectoryChange | null> {
  if (listing === undefined || !listing.listed) return await removeLocalEntry(trx, actorId);
  const iri = localEntryIri(publicUrl, listing.handle);
  const made = listing.made ?? (await storedMade(trx, iri, actorId));
  const location = listing.location !== undefined ? listing.location : await projectPlace(trx, publicUrl, listing.projectHandle ?? null);
  const fields: LocalEntryFields = {
    iri,
    kind: "design",
    name: listing.name,
    summary: listingSummary(listing.summaryHtml),
    tags: [...listing.tags],
    location: location && { name: location.name, latitude: location.latitude, longitude: location.longitude },
    locality: location?.locality ?? null,
    region: location?.region ?? null,
    country: location?.country ?? null,
    bioregion: location?.bioregion ?? null,
    url: new URL(actorPagePath(listing.handle), publicUrl).href,
    origin: nodeActorIri(publicUrl),
    updatedAt: new Date(),
    localActorId: actorId,
    maxHops: await publishedHopLimit(trx),
    licence: listing.licence,
    latestVersion: listing.latestVersion,
    madeCount: Math.max(0, Math.trunc(made.count)),
    madePoints: keptPoints(made.points),
  };
  return await upsertLocalListing(trx, actorId, { ...fields, madeCount: Math.max(fields.madeCount, fields.madePoints.length) });
}

/**
 * New builds of a local design (made-here reports): only the entry's count and places change. Null
 * when the design has no entry (unlisted) or nothing changed.
 */
export async function syncDesignMade(trx: DbOrTrx, publicUrl: URL, actorId: number, handle: string, made: MadeSummary): Promise<DirectoryChange | null> {
  const entry = await findEntryByIri(trx, localEntryIri(publicUrl, handle));
  if (entry === undefined || entry.localActorId !== actorId || entry.kind !== "design") return null;
  const points = keptPoints(made.points);
  return await upsertLocalListing(trx, actorId, {
    ...entry,
    kind: "design",
    tags: [...entry.tags],
    localActorId: actorId,
    updatedAt: new Date(),
    maxHops: await publishedHopLimit(trx),
    madeCount: Math.max(Math.trunc(made.count), points.length),
    madePoints: points,
  });
}

/** The place of a local project's listing (the directory's own row: it reads no projects table). */
async function projectPlace(trx: DbOrTrx, publicUrl: URL, handle: string | null): Promise<ProjectLocation | null> {
  if (handle === null) return null;
  const entry = await findEntryByIri(trx, localEntryIri(publicUrl, handle));
  if (entry === undefined || entry.localActorId === null || entry.kind !== "project" || entry.location === null) return null;
  return { ...entry.location, locality: entry.locality, region: entry.region, country: entry.country, bioregion: entry.bioregion };
}

async function storedMade(trx: DbOrTrx, iri: string, actorId: number): Promise<MadeSummary> {
  const entry = await findEntryByIri(trx, iri);
  return entry?.localActorId === actorId ? { count: entry.madeCount, points: entry.madePoints } : { count: 0, points: [] };
}

/** The newest MADE_POINTS_MAX places (reports are handed oldest first), valid coordinates only. */
function keptPoints(points: readonly MadePoint[]): MadePoint[] {
  const valid = points
    .filter((p) => Number.isFinite(p.latitude) && Number.isFinite(p.longitude) && Math.abs(p.latitude) <= 90 && Math.abs(p.longitude) <= 180)
    .map((p) => ({ latitude: p.latitude, longitude: p.longitude }));
  return valid.slice(-MADE_POINTS_MAX);
}
