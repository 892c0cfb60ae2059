import { z } from "zod";
import { OkhLicenceSchema } from "./licence-id.ts";
import { isReadinessLevel } from "./readiness-levels.ts";

/** The largest okh.toml we read: manifests are a few KB; this leaves room for long BOMs, not for abuse. */
export const OKH_MANIFEST_MAX_BYTES = 256 * 1024;
/** As many parts and files as a manifest may list. */
export const OKH_PARTS_MAX = 500;
export const OKH_FILES_MAX = 500;

const text = (max: number) =>
  z
    .string({ error: "must be text" })
    .trim()
    .max(max, { error: `must be at most ${max} characters` });

/** A file reference: a path relative to the manifest (OKH-LOSH "File Path Convention"), or a list of them. */
const FileRefs = z
  .union([text(1000), z.array(text(1000), { error: "must be a file name or a list of file names" }).max(OKH_FILES_MAX)], {
    error: "must be a file name or a list of file names",
  })
  .transform((v) => (typeof v === "string" ? [v] : v));

/** Newer OKH-LOSH manifests write images as `[[image]]` tables with a `location`; older ones as plain names. */
const ImageRefs = z
  .union([FileRefs, z.array(z.looseObject({ location: text(1000) }), { error: "must be file names or image tables with a location" }).max(OKH_FILES_MAX)], {
    error: "must be a file name, a list of them, or [[image]] tables with a location",
  })
  .transform((v) => v.map((item) => (typeof item === "string" ? item : item.location)));

const Quantity = z
  .number({ error: "must be a number" })
  .positive({ error: "must be more than 0" })
  .max(1e9, { error: "must be at most 1000000000" });

/** A BOM line, as a `[[part]]` (OKH-LOSH's parts, with our quantity, unit, supplier and link) or a `[[bom]]` table. */
const PartSchema = z.looseObject({
  name: text(200).min(1, { error: "must not be empty" }),
  quantity: Quantity.optional(),
  unit: text(20).optional(),
  material: text(200).optional(),
  supplier: text(500).optional(),
  link: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000).optional(),
  // A part's own files (OKH-LOSH): they belong to the release too.
  source: FileRefs.optional(),
  export: FileRefs.optional(),
  image: ImageRefs.optional(),
});

const ReadinessLevel = (prefix: "OTRL" | "ODRL") =>
  text(20).refine((v) => isReadinessLevel(prefix, v), {
    error: prefix === "OTRL" ? "must be a technology readiness level, OTRL-1 to OTRL-8" : "must be a documentation readiness level, ODRL-1 to ODRL-5 (with * when attested)",
  });

/**
 * An okh.toml as we read it: OKH-LOSH's fields (https://github.com/OPEN-NEXT/OKH-LOSH/blob/master/OKH-LOSH.md)
 * and the few we add on export (docs/designs.md#open-know-how). Other keys (cpc-patent-class, tsdc,
 * outer dimensions, software…) are allowed and ignored. Issue paths are TOML keys, so an error names
 * the key to fix.
 */
export const OkhManifestSchema = z.looseObject({
  okhv: text(40).optional(),
  name: text(100).min(1, { error: "must not be empty" }).refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: "must not contain control characters" }),
  version: text(64)
    .min(1, { error: "must not be empty" })
    .refine((v) => !/[\s/\\\u0000-\u001f\u007f]/.test(v), { error: "must not contain spaces, slashes or control characters" }),
  license: OkhLicenceSchema,
  "documentation-license": OkhLicenceSchema.optional(),
  licensor: text(200).optional(),
  function: text(2000).optional(),
  description: text(5000).optional(),
  keywords: z.union([z.array(text(50)).max(20, { error: "must list at most 20 keywords" }), text(1000).transform((v) => v.split(/[\s,]+/).filter((t) => t !== ""))], {
    error: "must be a list of keywords",
  }).optional(),
  "technology-readiness-level": ReadinessLevel("OTRL").optional(),
  "documentation-readiness-level": ReadinessLevel("ODRL").optional(),
  "release-notes": text(20_000).optional(),
  readme: FileRefs.optional(),
  image: ImageRefs.optional(),
  bom: z.union([FileRefs, z.array(PartSchema).max(OKH_PARTS_MAX)], { error: "must be a file name or [[bom]] tables of parts" }).optional(),
  "manufacturing-instructions": FileRefs.optional(),
  "user-manual": FileRefs.optional(),
  source: FileRefs.optional(),
  export: FileRefs.optional(),
  auxiliary: FileRefs.optional(),
  part: z.array(PartSchema, { error: "must be [[part]] tables" }).max(OKH_PARTS_MAX, { error: `must list at most ${OKH_PARTS_MAX} parts` }).optional(),
});

export type OkhManifest = z.output<typeof OkhManifestSchema>;
export type OkhPart = z.output<typeof PartSchema>;
