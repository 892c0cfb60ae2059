import { z } from "zod";
import { normalizeHashtag } from "../../platform/text/markdown.ts";
import { DIRECTORY_KINDS, SpdxIdSchema } from "../charter/charter.schema.ts";

/**
 * A directory entry as data, whoever published it: the one named schema every received entry goes
 * through before it is stored (docs/architecture.md#conventions), whether it came from a fetched entry document or from
 * a `Page` in an activity (federation/translate/directory-entry.ts maps the JSON-LD to this shape).
 */

export const DIRECTORY_NAME_MAX = 200;
export const DIRECTORY_SUMMARY_MAX = 5000;
export const DIRECTORY_TAGS_MAX = 20;
export const DIRECTORY_PLACE_MAX = 200;
export const DIRECTORY_URL_MAX = 2000;
/** A design listing keeps at most this many of the places it was made (the map's and `made_near`'s points). */
export const MADE_POINTS_MAX = 500;
export const MADE_COUNT_MAX = 10_000_000;
export const VERSION_MAX = 100;
/** The charter's hop limit is at most 5; a larger claim is clamped, not refused. */
export const MAX_HOPS_CEILING = 5;

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Text stored as plain text and always shown escaped (docs/security.md#text-and-html, XSS-05), control characters
 * dropped. (A summary travels as HTML, as ActivityStreams defines it; the translator reduces it to
 * its text before this schema sees it.)
 */
const plainText = (max: number) =>
  z
    .string({ error: "must be text" })
    .transform((v) => v.replace(CONTROL_CHARACTERS, "").trim())
    .pipe(z.string().max(max, { error: `must be at most ${max} characters` }));

/** An optional place field: empty becomes null. */
const placeText = plainText(DIRECTORY_PLACE_MAX)
  .nullish()
  .transform((v) => (v ? v : null));

/** Only http(s) links are stored (docs/security.md#origins, ORI-11: no javascript:, data: or file:). */
export const HttpUrlSchema = z
  .string({ error: "must be a URL" })
  .trim()
  .max(DIRECTORY_URL_MAX, { error: `must be at most ${DIRECTORY_URL_MAX} characters` })
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: "must be an http or https URL" })
  .transform((v) => new URL(v).href);

/** ISO 3166-1 alpha-2, upper case; Intl knows which codes name a region. */
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"]);
export const CountryCodeSchema = z
  .string({ error: "must be an ISO 3166-1 alpha-2 code such as FR" })
  .trim()
  .toUpperCase()
  .refine((v) => /^[A-Z]{2}$/.test(v) && !NOT_COUNTRIES.has(v) && isRegionCode(v), { error: "must be an ISO 3166-1 alpha-2 code such as FR" });

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
function isRegionCode(code: string): boolean {
  const name = regionNames.of(code);
  return name !== undefined && name !== code && name !== "Unknown Region";
}

/** Tags as this node normalises hashtags; ones that are not tags are dropped, not refused. */
export const DirectoryTagsSchema = z
  .array(z.string())
  .max(100, { error: "must have at most 100 tags" })
  .transform((tags) => [...new Set(tags.map(normalizeHashtag).filter((t): t is string => t !== null))].slice(0, DIRECTORY_TAGS_MAX));

export const DirectoryKindSchema = z.enum(DIRECTORY_KINDS, { error: `must be one of ${DIRECTORY_KINDS.join(", ")}` });
export type DirectoryKind = z.output<typeof DirectoryKindSchema>;

/** A point on Earth, degrees (WGS 84). */
const LatLonSchema = z.object({
  latitude: z.number({ error: "must be a number" }).min(-90, { error: "must be between -90 and 90" }).max(90, { error: "must be between -90 and 90" }),
  longitude: z.number({ error: "must be a number" }).min(-180, { error: "must be between -180 and 180" }).max(180, { error: "must be between -180 and 180" }),
});

export const DirectoryEntryDraftSchema = z.object({
  iri: HttpUrlSchema,
  kind: DirectoryKindSchema,
  name: plainText(DIRECTORY_NAME_MAX).pipe(z.string().min(1, { error: "must not be empty" })),
  summary: plainText(DIRECTORY_SUMMARY_MAX).default(""),
  tags: DirectoryTagsSchema.default([]),
  location: z
    .object({
      name: placeText,
      latitude: z.number({ error: "must be a number" }).min(-90, { error: "must be between -90 and 90" }).max(90, { error: "must be between -90 and 90" }),
      longitude: z.number({ error: "must be a number" }).min(-180, { error: "must be between -180 and 180" }).max(180, { error: "must be between -180 and 180" }),
    })
    .nullable()
    .default(null),
  locality: placeText,
  region: placeText,
  country: CountryCodeSchema.nullish().transform((v) => v ?? null),
  bioregion: placeText,
  url: HttpUrlSchema,
  /** The publishing node's actor. */
  origin: HttpUrlSchema,
  updatedAt: z.coerce.date({ error: "must be a date" }).refine((d) => !Number.isNaN(d.getTime()), { error: "must be a date" }),
  /** How many nodes beyond the origin's peers the origin lets the entry travel (its charter's hop limit). */
  maxHops: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be 0 or more" })
    .transform((v) => Math.min(v, MAX_HOPS_CEILING))
    .default(0),
  /** A design listing's licence, an SPDX id (canonical spelling, matched case-insensitively). */
  licence: SpdxIdSchema.nullish().transform((v) => v ?? null),
  /** A design's latest released version. */
  latestVersion: plainText(VERSION_MAX)
    .nullish()
    .transform((v) => (v ? v : null)),
  /** How many builds were reported, and where (at most MADE_POINTS_MAX places). */
  madeCount: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be 0 or more" })
    .max(MADE_COUNT_MAX, { error: `must be at most ${MADE_COUNT_MAX}` })
    .default(0),
  madePoints: z
    .array(LatLonSchema, { error: "must be a list of places" })
    .max(MADE_POINTS_MAX, { error: `must have at most ${MADE_POINTS_MAX} places` })
    .default([]),
}).refine((d) => d.madePoints.length <= d.madeCount, { path: ["madePoints"], error: "must not have more places than madeCount" });
export type DirectoryEntryDraftInput = z.input<typeof DirectoryEntryDraftSchema>;
export type DirectoryEntryDraft = z.output<typeof DirectoryEntryDraftSchema>;
