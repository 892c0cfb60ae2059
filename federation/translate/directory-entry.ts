import { Hashtag, Page, Place, PropertyValue } from "@fedify/vocab";
import { z } from "zod";
import type { DirectoryEntry } from "../../server/modules/directory/directory-entry.ts";
import { type DirectoryEntryDraft, type DirectoryEntryDraftInput, DirectoryEntryDraftSchema, MADE_POINTS_MAX } from "../../server/modules/directory/directory-entry.schema.ts";
import { tagUrl } from "../../server/platform/text/markdown.ts";
import { htmlToText } from "../../server/platform/text/sanitize-html.ts";
import { plainTextToHtml } from "./html.ts";
import { toInstant } from "./temporal.ts";

/**
 * Directory entries between nodes. Activities carry a standard `Page` (the outbox relay re-parses
 * through Fedify's vocabulary, which drops unknown properties): name, summary (HTML, as
 * ActivityStreams defines it: the plain text escaped into paragraphs), url,
 * updated, attributedTo = the origin node actor, location = `Place`, tags = `Hashtag`s, and the
 * directory's own fields as schema.org `PropertyValue`s (kind, locality, region, country, bioregion,
 * maxHops). The entry document served at the IRI is the same `Page`, plus the same fields as plain
 * properties under a small inline context, for consumers that read the JSON directly.
 *
 * A design listing adds its licence (`licence`, an SPDX id), latest version (`version`) and build
 * count (`madeCount`) as PropertyValues, and each place it was made as a `Place` attachment; its
 * document repeats them as `spdx:license` (as the SPDX RDF terms and Manyfold spell it), `okh:version`
 * (OKH-LOSH), `cn:madeCount` and `cn:madePlaces`.
 */

export const ACTIVITYSTREAMS_CONTEXT = "https://www.w3.org/ns/activitystreams";
export const COMMONSNET_NAMESPACE = "https://w3id.org/commonsnet/ns#";

/** The inline context of the entry document: schema.org's PropertyValue as Mastodon spells it, and ours. */
export const DIRECTORY_ENTRY_CONTEXT = {
  schema: "http://schema.org#",
  PropertyValue: "schema:PropertyValue",
  value: "schema:value",
  Hashtag: "as:Hashtag",
  cn: COMMONSNET_NAMESPACE,
  kind: "cn:kind",
  locality: "cn:locality",
  region: "cn:region",
  country: "cn:country",
  bioregion: "cn:bioregion",
  maxHops: { "@id": "cn:maxHops", "@type": "http://www.w3.org/2001/XMLSchema#nonNegativeInteger" },
} as const;

/** The terms a design listing's document adds to its context. */
export const DESIGN_ENTRY_CONTEXT = {
  spdx: "http://spdx.org/rdf/terms#",
  okh: "https://w3id.org/oseg/ont/okh#",
  madeCount: { "@id": "cn:madeCount", "@type": "http://www.w3.org/2001/XMLSchema#nonNegativeInteger" },
  madePlaces: { "@id": "cn:madePlaces", "@container": "@set" },
} as const;

/** The `PropertyValue` names of the directory's own fields, as attachments. */
const FIELDS = ["kind", "locality", "region", "country", "bioregion", "maxHops", "licence", "version", "madeCount"] as const;

export interface EntryPublication {
  /** Where the origin's hashtag pages live (`…/tags/`). */
  readonly tagBase: URL;
  /** How far the origin lets the entry travel now (its charter's hop limit), if not the stored one. */
  readonly maxHops?: number;
}

function fieldValues(entry: DirectoryEntry, maxHops: number): [string, string][] {
  const values: Record<(typeof FIELDS)[number], string | null> = {
    kind: entry.kind,
    locality: entry.locality,
    region: entry.region,
    country: entry.country,
    bioregion: entry.bioregion,
    maxHops: String(maxHops),
    licence: entry.licence,
    version: entry.latestVersion,
    madeCount: entry.kind === "design" ? String(entry.madeCount) : null,
  };
  return FIELDS.flatMap((name) => (values[name] === null ? [] : [[name, values[name]] as [string, string]]));
}

/** The entry as a Fedify `Page`, for `Create`/`Update` activities from the node actor. */
export function toDirectoryEntryPage(entry: DirectoryEntry, publication: EntryPublication): Page {
  const maxHops = publication.maxHops ?? entry.maxHops;
  return new Page({
    id: new URL(entry.iri),
    name: entry.name,
    summary: plainTextToHtml(entry.summary),
    url: new URL(entry.url),
    updated: toInstant(entry.updatedAt),
    attribution: new URL(entry.origin),
    location: entry.location && new Place({ name: entry.location.name, latitude: entry.location.latitude, longitude: entry.location.longitude }),
    tags: entry.tags.map((tag) => new Hashtag({ name: `#${tag}`, href: new URL(tagUrl(publication.tagBase, tag)) })),
    attachments: [
      ...fieldValues(entry, maxHops).map(([name, value]) => new PropertyValue({ name, value })),
      ...entry.madePoints.map((p) => new Place({ latitude: p.latitude, longitude: p.longitude })),
    ],
  });
}

/** The entry document served at its IRI (`application/activity+json`). */
export function toDirectoryEntryDocument(entry: DirectoryEntry, publication: EntryPublication): Record<string, unknown> {
  const maxHops = publication.maxHops ?? entry.maxHops;
  return {
    "@context": [ACTIVITYSTREAMS_CONTEXT, entry.kind === "design" ? { ...DIRECTORY_ENTRY_CONTEXT, ...DESIGN_ENTRY_CONTEXT } : DIRECTORY_ENTRY_CONTEXT],
    id: entry.iri,
    type: "Page",
    name: entry.name,
    summary: plainTextToHtml(entry.summary),
    url: entry.url,
    updated: entry.updatedAt.toISOString(),
    attributedTo: entry.origin,
    ...(entry.location && {
      location: { type: "Place", ...(entry.location.name !== null && { name: entry.location.name }), latitude: entry.location.latitude, longitude: entry.location.longitude },
    }),
    tag: entry.tags.map((tag) => ({ type: "Hashtag", name: `#${tag}`, href: tagUrl(publication.tagBase, tag) })),
    attachment: [
      ...fieldValues(entry, maxHops).map(([name, value]) => ({ type: "PropertyValue", name, value })),
      ...madePlaces(entry),
    ],
    kind: entry.kind,
    locality: entry.locality,
    region: entry.region,
    country: entry.country,
    bioregion: entry.bioregion,
    maxHops,
    ...(entry.kind === "design" && {
      ...(entry.licence !== null && { "spdx:license": { "spdx:licenseId": entry.licence } }),
      ...(entry.latestVersion !== null && { "okh:version": entry.latestVersion }),
      madeCount: entry.madeCount,
      madePlaces: madePlaces(entry),
    }),
  };
}

function madePlaces(entry: DirectoryEntry): Record<string, unknown>[] {
  return entry.madePoints.map((p) => ({ type: "Place", latitude: p.latitude, longitude: p.longitude }));
}

// --- Reading entries: the fetched document, or a received Page's compact JSON-LD -------------------

/** One value or an array of them (JSON-LD compaction makes single-item arrays plain values). */
const oneOrMany = <T extends z.ZodType>(item: T, max = 100) => z.union([item, z.array(item).max(max)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
const iriOrObject = z.union([z.string(), z.looseObject({ id: z.string() }).transform((o) => o.id), z.looseObject({ href: z.string() }).transform((o) => o.href)]);
const languageText = z.union([z.string(), z.record(z.string(), z.string()).transform((map) => Object.values(map)[0])]);
const text = z.union([z.string(), z.number().transform(String), z.boolean().transform(String), z.null()]);

const RawPlace = z.looseObject({
  name: languageText.optional(),
  nameMap: z.record(z.string(), z.string()).optional(),
  latitude: z.union([z.number(), z.string().transform(Number)]).optional(),
  longitude: z.union([z.number(), z.string().transform(Number)]).optional(),
});
const RawTag = z.looseObject({ type: z.union([z.string(), z.array(z.string())]).optional(), name: z.string().optional() });
const RawAttachment = z.looseObject({ type: z.union([z.string(), z.array(z.string())]).optional(), name: z.string().optional() });
/** The PropertyValues, and a design's made places (MADE_POINTS_MAX); more is refused by the draft schema. */
const ATTACHMENTS_MAX = FIELDS.length + MADE_POINTS_MAX + 1;

const RawEntry = z.looseObject({
  id: z.string({ error: "is required" }),
  type: z.union([z.string(), z.array(z.string())], { error: "is required" }),
  name: languageText.optional(),
  nameMap: z.record(z.string(), z.string()).optional(),
  summary: languageText.optional(),
  summaryMap: z.record(z.string(), z.string()).optional(),
  url: oneOrMany(iriOrObject).optional(),
  updated: z.string().optional(),
  published: z.string().optional(),
  attributedTo: oneOrMany(iriOrObject).optional(),
  location: oneOrMany(RawPlace).optional(),
  tag: oneOrMany(RawTag).optional(),
  attachment: oneOrMany(RawAttachment, ATTACHMENTS_MAX).optional(),
  madePlaces: oneOrMany(RawPlace, ATTACHMENTS_MAX).optional(),
});

export type DirectoryEntryParse = { readonly success: true; readonly draft: DirectoryEntryDraft } | { readonly success: false; readonly error: string };

const isType = (type: string | string[] | undefined, name: string) => [type ?? []].flat().some((t) => t === name || t.endsWith(`#${name}`) || t.endsWith(`:${name}`));
const propertyValue = (a: z.output<typeof RawAttachment>) => a.value ?? a["schema:value"] ?? a["http://schema.org#value"];

/**
 * Reads an entry from its JSON: the document fetched from its IRI, or the `Page` of a received
 * activity (compact JSON-LD). Everything goes through the directory's one draft schema; the entry
 * must live on its origin's host. Failures are values with a message for the log, never thrown.
 */
export function fromDirectoryEntryJson(json: unknown): DirectoryEntryParse {
  const raw = RawEntry.safeParse(json);
  if (!raw.success) return { success: false, error: `not an entry document: ${raw.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}` };
  const doc = raw.data;
  if (!isType(doc.type, "Page") && !isType(doc.type, "Object")) return { success: false, error: `type ${JSON.stringify(doc.type)} is not a Page` };
  const fields = new Map<string, unknown>();
  for (const a of doc.attachment ?? []) {
    if (isType(a.type, "PropertyValue") && a.name !== undefined && (FIELDS as readonly string[]).includes(a.name)) fields.set(a.name, propertyValue(a));
  }
  const field = (name: (typeof FIELDS)[number]) => {
    const value = fields.get(name) ?? doc[name] ?? doc[`cn:${name}`] ?? doc[`${COMMONSNET_NAMESPACE}${name}`];
    const parsed = text.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
  const place = doc.location?.find((p) => p.latitude !== undefined && p.longitude !== undefined);
  const maxHops = field("maxHops");
  // Only a design listing has them: other kinds stay as they were, whatever else a sender attaches.
  const design = field("kind") === "design" ? designFields(doc, field) : {};
  const input: DirectoryEntryDraftInput = {
    iri: doc.id,
    kind: (field("kind") ?? "") as DirectoryEntryDraftInput["kind"],
    name: doc.name ?? (doc.nameMap && Object.values(doc.nameMap)[0]) ?? "",
    summary: htmlToText(doc.summary ?? (doc.summaryMap && Object.values(doc.summaryMap)[0]) ?? ""),
    tags: (doc.tag ?? []).filter((t) => isType(t.type, "Hashtag") && t.name !== undefined).map((t) => t.name!),
    location: place ? { name: place.name ?? (place.nameMap && Object.values(place.nameMap)[0]) ?? null, latitude: place.latitude!, longitude: place.longitude! } : null,
    locality: field("locality"),
    region: field("region"),
    country: field("country"),
    bioregion: field("bioregion"),
    url: doc.url?.find((u) => /^https?:\/\//i.test(u)) ?? "",
    origin: doc.attributedTo?.[0] ?? "",
    updatedAt: doc.updated ?? doc.published ?? "",
    maxHops: maxHops === undefined || maxHops === null ? 0 : Number.parseInt(maxHops, 10),
    ...design,
  };
  const parsed = DirectoryEntryDraftSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: parsed.error.issues.map((i) => `${i.path.join(".") || "(entry)"}: ${i.message}`).join("; ") };
  const draft = parsed.data;
  if (new URL(draft.iri).host !== new URL(draft.origin).host) return { success: false, error: `the entry ${draft.iri} is not on its origin's host (${new URL(draft.origin).host})` };
  return { success: true, draft };
}

/**
 * A design listing's licence, version, build count and places: the PropertyValues and `Place`
 * attachments of a Page, or the document's `spdx:license`, `okh:version`, `madeCount` and `madePlaces`.
 * Values are handed to the draft schema as found, so a wrong one is refused there by name.
 */
function designFields(doc: z.output<typeof RawEntry>, field: (name: (typeof FIELDS)[number]) => string | null | undefined): Partial<DirectoryEntryDraftInput> {
  const spdx = doc["spdx:license"] ?? doc["http://spdx.org/rdf/terms#license"];
  const spdxId = typeof spdx === "object" && spdx !== null ? ((spdx as Record<string, unknown>)["spdx:licenseId"] ?? (spdx as Record<string, unknown>)["http://spdx.org/rdf/terms#licenseId"]) : spdx;
  const licence = field("licence") ?? (typeof spdxId === "string" ? spdxId : undefined);
  const version = field("version") ?? text.safeParse(doc["okh:version"] ?? doc["https://w3id.org/oseg/ont/okh#version"]).data ?? undefined;
  const madeCount = field("madeCount") ?? text.safeParse(doc.madeCount ?? doc["cn:madeCount"]).data ?? undefined;
  const attached = (doc.attachment ?? []).filter((a) => isType(a.type, "Place"));
  const places = attached.length > 0 ? attached : (doc.madePlaces ?? []);
  return {
    ...(licence !== undefined && licence !== null && { licence }),
    ...(version !== undefined && version !== null && { latestVersion: version }),
    ...(madeCount !== undefined && madeCount !== null && { madeCount: /^\d{1,9}$/.test(madeCount) ? Number(madeCount) : (madeCount as unknown as number) }),
    madePoints: places.map((p) => ({ latitude: Number(p.latitude), longitude: Number(p.longitude) })),
  };
}
