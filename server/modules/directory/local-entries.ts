import { actorPagePath, directoryEntryPath } from "../../../federation/uris.ts";
import type { DbOrTrx } from "../../db/database.ts";
import type { ProjectLocation } from "../projects/index.ts";
import { htmlToText } from "../../platform/text/sanitize-html.ts";
import { NODE_ACTOR_HANDLE } from "../actors/handle.schema.ts";
import type { DirectoryEntry } from "./directory-entry.ts";
import { DIRECTORY_SUMMARY_MAX } from "./directory-entry.schema.ts";
import { findEntryByIri } from "./directory.queries.ts";
import { deleteLocalEntry, type LocalEntryFields, upsertLocalEntry } from "./directory.repository.ts";
import { publishedHopLimit } from "../charter/charter.service.ts";

/**
 * What the directory shows of a local project. The projects module hands it over (it owns the rows and
 * keeps the entry in step in its own transactions), so the directory does not read projects' tables.
 */
export interface ProjectListing {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  readonly summaryHtml: string;
  readonly tags: readonly string[];
  readonly location: ProjectLocation | null;
  readonly listed: boolean;
  readonly archivedAt: Date | null;
}

/**
 * What changed in this node's own listings, for the peering side to turn into activities from the
 * node actor to its followers (peers): `upsert` → `Create`/`Update` of the entry's `Page`
 * (`created` tells which), `remove` → `Delete` of the entry IRI (a Tombstone).
 */
export type DirectoryChange =
  | { readonly kind: "upsert"; readonly entry: DirectoryEntry; readonly created: boolean }
  | { readonly kind: "remove"; readonly iri: string; readonly entry: DirectoryEntry };

/** The node's own actor IRI: the `origin` of every local entry. */
export function nodeActorIri(publicUrl: URL): string {
  return new URL(actorPagePath(NODE_ACTOR_HANDLE), publicUrl).href;
}

/** A local project's entry IRI, `<origin>/directory/entries/<handle>`, stable for the project's life. */
export function localEntryIri(publicUrl: URL, handle: string): string {
  return new URL(directoryEntryPath(handle), publicUrl).href;
}

/**
 * Brings a local project's directory entry in line with the project, inside the caller's
 * transaction (call it in the same transaction as the project change): a listed, unarchived project
 * has an entry; an unlisted or archived one has none. Returns what changed, or null when nothing did
 * (an edit the directory does not show, such as the website).
 */
export async function syncLocalEntry(trx: DbOrTrx, publicUrl: URL, projectActorId: number, listing: ProjectListing | undefined): Promise<DirectoryChange | null> {
  if (listing === undefined || !listing.listed || listing.archivedAt !== null) return await removeLocalEntry(trx, projectActorId);
  const fields = listingFields(listing, publicUrl, await publishedHopLimit(trx));
  return await upsertLocalListing(trx, projectActorId, fields);
}

/** A local listing's entry goes (unlisted, archived or deleted); null when it had none. */
export async function removeLocalEntry(trx: DbOrTrx, actorId: number): Promise<DirectoryChange | null> {
  const removed = await deleteLocalEntry(trx, actorId);
  return removed ? { kind: "remove", iri: removed.iri, entry: removed } : null;
}

/** Stores a local listing's fields unless the entry already shows them; null when nothing changed. */
export async function upsertLocalListing(trx: DbOrTrx, actorId: number, fields: LocalEntryFields): Promise<DirectoryChange | null> {
  const existing = await findEntryByIri(trx, fields.iri);
  if (existing !== undefined && existing.localActorId === actorId && sameListing(existing, fields)) return null;
  const entry = await upsertLocalEntry(trx, fields);
  return { kind: "upsert", entry, created: existing?.localActorId !== actorId };
}

/** Plain text of a listing's HTML summary, cut to the directory's limit. */
export function listingSummary(summaryHtml: string): string {
  const summary = htmlToText(summaryHtml).replace(/[ \t]+/g, " ");
  return summary.length > DIRECTORY_SUMMARY_MAX ? `${summary.slice(0, DIRECTORY_SUMMARY_MAX - 1)}…` : summary;
}

function listingFields(listing: ProjectListing, publicUrl: URL, maxHops: number): LocalEntryFields {
  return {
    iri: localEntryIri(publicUrl, listing.handle),
    kind: "project",
    name: listing.name,
    summary: listingSummary(listing.summaryHtml),
    tags: [...listing.tags],
    location: listing.location && { name: listing.location.name, latitude: listing.location.latitude, longitude: listing.location.longitude },
    locality: listing.location?.locality ?? null,
    region: listing.location?.region ?? null,
    country: listing.location?.country ?? null,
    bioregion: listing.location?.bioregion ?? null,
    url: new URL(actorPagePath(listing.handle), publicUrl).href,
    origin: nodeActorIri(publicUrl),
    updatedAt: new Date(),
    localActorId: listing.actorId,
    maxHops,
    licence: null,
    latestVersion: null,
    madeCount: 0,
    madePoints: [],
  };
}

function sameListing(entry: DirectoryEntry, fields: LocalEntryFields): boolean {
  const shown = (e: Omit<LocalEntryFields, "updatedAt" | "localActorId"> | DirectoryEntry) =>
    JSON.stringify([e.kind, e.name, e.summary, e.tags, e.location, e.locality, e.region, e.country, e.bioregion, e.url, e.origin, e.maxHops, e.licence, e.latestVersion, e.madeCount, e.madePoints]);
  return shown(entry) === shown(fields);
}
