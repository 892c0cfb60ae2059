import { z } from "zod";
import { normalizeHashtag } from "../../platform/text/markdown.ts";
import { SpdxIdSchema } from "../charter/charter.schema.ts";
import { CountryCodeSchema, DIRECTORY_PLACE_MAX, DirectoryKindSchema, type DirectoryKind } from "./directory-entry.schema.ts";

/**
 * The directory's search parameters, one schema for `GET /api/v1/directory` and the `/directory`
 * form. Besides our own (`q`, `tags`, `kind`, `node`, `near=lat,lon`, `radius_km`, `sort`), the
 * Murmurations index's are accepted (its API v2, MurmurationsNetwork/MurmurationsServices): `name`, `lat`, `lon`, `range`
 * (`25km`, `25`, `500m`, `10mi`), `tags` comma-separated, `locality`, `region`, `country`, `page`,
 * `page_size`. Designs add `licence` (an SPDX id) and `made_near=lat,lon` with `made_radius_km`
 * (made at least once within that distance).
 */

export const SEARCH_TEXT_MAX = 200;
export const SEARCH_TAGS_MAX = 10;
export const PAGE_SIZE_DEFAULT = 30;
export const PAGE_SIZE_MAX = 100;
export const PAGE_MAX = 1000;
/** Half the Earth's circumference: every point is within it. */
export const RADIUS_KM_MAX = 20_040;
export const SORTS = ["relevance", "distance"] as const;

export interface DirectoryPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/** The search, validated and normalised. */
export interface DirectorySearch {
  readonly text: string | undefined;
  readonly tags: readonly string[];
  readonly kind: DirectoryKind | undefined;
  /** An origin node: its host (`city.example`, `127.0.0.1:8080`) or its actor IRI. */
  readonly node: { readonly host: string } | { readonly iri: string } | undefined;
  readonly point: DirectoryPoint | undefined;
  readonly radiusKm: number | undefined;
  readonly locality: string | undefined;
  readonly region: string | undefined;
  readonly country: string | undefined;
  readonly bioregion: string | undefined;
  /** A design licence, canonical SPDX id (compared case-insensitively). */
  readonly licence?: string | undefined;
  /** Designs made at least once within `radiusKm` of `point`. */
  readonly madeNear?: { readonly point: DirectoryPoint; readonly radiusKm: number } | undefined;
  /** `updated` (newest first) when there is neither text nor a point to order by. */
  readonly sort: "relevance" | "distance" | "updated";
  readonly page: number;
  readonly pageSize: number;
}

const number = (error: string) => z.preprocess((v) => (typeof v === "string" ? Number(v.trim()) : v), z.number({ error }).refine(Number.isFinite, { error }));
const latitude = number("must be a latitude, a number from -90 to 90").pipe(z.number().min(-90, { error: "must be between -90 and 90" }).max(90, { error: "must be between -90 and 90" }));
const longitude = number("must be a longitude, a number from -180 to 180").pipe(z.number().min(-180, { error: "must be between -180 and 180" }).max(180, { error: "must be between -180 and 180" }));
const radius = (error: string) => z.number().positive({ error }).max(RADIUS_KM_MAX, { error: `must be at most ${RADIUS_KM_MAX} km` });
const text = (max: number) => z.string().trim().max(max, { error: `must be at most ${max} characters` });

const NearSchema = z.string().transform((v, ctx) => {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
  const lat = Number(match?.[1]);
  const lon = Number(match?.[2]);
  if (match === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    ctx.addIssue({ code: "custom", message: "must be latitude,longitude with latitude from -90 to 90 and longitude from -180 to 180, e.g. 45.764,4.8357" });
    return z.NEVER;
  }
  return { latitude: lat, longitude: lon };
});

/** Murmurations' `range`: a distance with an optional unit (km by default). */
const RangeSchema = z.string().transform((v, ctx) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(km|m|mi)?\s*$/i.exec(v);
  const factor = { km: 1, m: 0.001, mi: 1.609344 }[(match?.[2] ?? "km").toLowerCase() as "km" | "m" | "mi"];
  const km = Number(match?.[1]) * factor;
  if (match === null || !(km > 0)) {
    ctx.addIssue({ code: "custom", message: "must be a distance such as 25km, 25 (km), 500m or 10mi" });
    return z.NEVER;
  }
  return km;
}).pipe(radius("must be a distance greater than 0"));

const TagsSchema = z.string().transform((v, ctx) => {
  const tags: string[] = [];
  for (const raw of v.split(/[\s,]+/).filter((t) => t.length > 0)) {
    const tag = normalizeHashtag(raw);
    if (tag === null) ctx.addIssue({ code: "custom", message: `"${raw.slice(0, 40)}" is not a tag: use letters, digits or _, with at least one letter` });
    else if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > SEARCH_TAGS_MAX) ctx.addIssue({ code: "custom", message: `must have at most ${SEARCH_TAGS_MAX} tags` });
  return tags;
});

const NodeSchema = z.string().trim().transform((v, ctx) => {
  // A URL keeps its path's case (the URL parser lowers the host); a bare host is lowered.
  if (/^https?:\/\//i.test(v)) {
    if (URL.canParse(v)) return { iri: new URL(v).href };
  } else if (/^[a-z0-9.-]+(?::\d{1,5})?$/i.test(v)) {
    return { host: v.toLowerCase() };
  }
  ctx.addIssue({ code: "custom", message: "must be a node's host (city.example) or its actor IRI (https://city.example/@node)" });
  return z.NEVER;
});

const PageNumber = (max: number, error: string) => number(error).pipe(z.number().int({ error }).min(1, { error }).max(max, { error }));

export const DirectorySearchSchema = z
  .object({
    q: text(SEARCH_TEXT_MAX).optional(),
    name: text(SEARCH_TEXT_MAX).optional(),
    tags: TagsSchema.optional(),
    kind: DirectoryKindSchema.optional(),
    node: NodeSchema.optional(),
    origin: NodeSchema.optional(),
    near: NearSchema.optional(),
    radius_km: number("must be a distance in km").pipe(radius("must be greater than 0")).optional(),
    lat: latitude.optional(),
    lon: longitude.optional(),
    range: RangeSchema.optional(),
    locality: text(DIRECTORY_PLACE_MAX).optional(),
    region: text(DIRECTORY_PLACE_MAX).optional(),
    country: CountryCodeSchema.optional(),
    bioregion: text(DIRECTORY_PLACE_MAX).optional(),
    licence: SpdxIdSchema.optional(),
    made_near: NearSchema.optional(),
    made_radius_km: number("must be a distance in km").pipe(radius("must be greater than 0")).optional(),
    sort: z.enum(SORTS, { error: `must be one of ${SORTS.join(", ")}` }).optional(),
    page: PageNumber(PAGE_MAX, `must be a whole number from 1 to ${PAGE_MAX}`).default(1),
    page_size: PageNumber(PAGE_SIZE_MAX, `must be a whole number from 1 to ${PAGE_SIZE_MAX}`).default(PAGE_SIZE_DEFAULT),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (p.near !== undefined && (p.lat !== undefined || p.lon !== undefined)) issue("near", "give either near=lat,lon or lat and lon, not both");
    if (p.lat !== undefined && p.lon === undefined) issue("lon", "is required with lat");
    if (p.lon !== undefined && p.lat === undefined) issue("lat", "is required with lon");
    const hasPoint = p.near !== undefined || (p.lat !== undefined && p.lon !== undefined);
    if (!hasPoint && p.radius_km !== undefined) issue("radius_km", "needs a point: near=lat,lon (or lat and lon)");
    if (!hasPoint && p.range !== undefined) issue("range", "needs a point: lat and lon (or near=lat,lon)");
    if (p.radius_km !== undefined && p.range !== undefined) issue("range", "give either radius_km or range, not both");
    if (!hasPoint && p.sort === "distance") issue("sort", "distance needs a point: near=lat,lon (or lat and lon)");
    if (p.node !== undefined && p.origin !== undefined) issue("origin", "give either node or origin, not both");
    if (p.made_near !== undefined && p.made_radius_km === undefined) issue("made_radius_km", "is required with made_near");
    if (p.made_radius_km !== undefined && p.made_near === undefined) issue("made_near", "is required with made_radius_km: give made_near=lat,lon");
  })
  .transform((p): DirectorySearch => {
    const point = p.near ?? (p.lat !== undefined && p.lon !== undefined ? { latitude: p.lat, longitude: p.lon } : undefined);
    const textQuery = p.q || p.name || undefined;
    return {
      text: textQuery,
      tags: p.tags ?? [],
      kind: p.kind,
      node: p.node ?? p.origin,
      point,
      radiusKm: p.radius_km ?? p.range,
      locality: p.locality || undefined,
      region: p.region || undefined,
      country: p.country,
      bioregion: p.bioregion || undefined,
      licence: p.licence,
      madeNear: p.made_near !== undefined && p.made_radius_km !== undefined ? { point: p.made_near, radiusKm: p.made_radius_km } : undefined,
      sort: p.sort ?? (textQuery !== undefined ? "relevance" : point !== undefined ? "distance" : "updated"),
      page: p.page,
      pageSize: p.page_size,
    };
  });

/**
 * A query string as the schema's input: repeated `tags` are joined, any other repeated parameter
 * keeps its first value, and empty values (a form's "any") are left out.
 */
export function directorySearchInput(queries: Record<string, readonly string[]>): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [key, values] of Object.entries(queries)) {
    const kept = values.map((v) => v.trim()).filter((v) => v !== "");
    if (kept.length === 0) continue;
    input[key] = key === "tags" || key === "tag" ? kept.join(",") : kept[0]!;
  }
  if (input.tag !== undefined) {
    input.tags = input.tags === undefined ? input.tag : `${input.tags},${input.tag}`;
    delete input.tag;
  }
  return input;
}
