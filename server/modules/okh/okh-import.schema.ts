import { z } from "zod";

/** The largest okh.toml we read: manifests are a few KB; this leaves room for long BOMs, not for abuse. */
export const OKH_MANIFEST_MAX_BYTES = 256 * 1024;
/** As many parts and files as a manifest may list. */
export const OKH_PARTS_MAX = 500;
export const OKH_FILES_MAX = 500;

// The shape of an okh.toml: which keys hold text, lists, tables. The values' own rules (SPDX ids,
// versions, readiness levels, lengths) are the designs module's schemas, applied to the drafts
// (parse-okh-toml.ts), so an import accepts exactly what the API and the forms accept.

const text = z.string({ error: "must be text" }).max(100_000, { error: "is too long" });

/** A file reference: a path relative to the manifest (OKH-LOSH "File Path Convention"), or a list of them. */
const FileRefs = z
  .union([text, z.array(text).max(OKH_FILES_MAX, { error: `must list at most ${OKH_FILES_MAX} files` })], { error: "must be a file name or a list of file names" })
  .transform((v) => (typeof v === "string" ? [v] : v));

/** Newer OKH-LOSH manifests write images as `[[image]]` tables with a `location`; older ones as plain names. */
const ImageRefs = z
  .union([text, z.array(z.union([text, z.looseObject({ location: text })])).max(OKH_FILES_MAX)], {
    error: "must be a file name, a list of them, or [[image]] tables with a location",
  })
  .transform((v) => (typeof v === "string" ? [v] : v.map((item) => (typeof item === "string" ? item : item.location))));

/** A BOM line as a `[[part]]` (OKH-LOSH's parts, with our quantity, unit, supplier and link) or a `[[bom]]` table. */
const PartSchema = z.looseObject({
  name: text,
  quantity: z.number({ error: "must be a number" }).optional(),
  unit: text.optional(),
  material: text.optional(),
  supplier: text.optional(),
  link: text.optional(),
  // A part's own files (OKH-LOSH): they belong to the release too.
  source: FileRefs.optional(),
  export: FileRefs.optional(),
  image: ImageRefs.optional(),
});

/**
 * An okh.toml as we read it: OKH-LOSH's fields (https://github.com/OPEN-NEXT/OKH-LOSH/blob/master/OKH-LOSH.md)
 * and the few we add on export (docs/designs.md#open-know-how). Other keys (cpc-patent-class, tsdc,
 * outer dimensions, software…) are allowed and ignored. Issue paths are TOML keys.
 */
export const OkhManifestSchema = z.looseObject({
  okhv: text.optional(),
  name: z.string({ error: "is required: the design's name" }),
  version: z.string({ error: "is required: the release's version, such as 1.0.0" }),
  license: z.string({ error: "is required: an SPDX licence identifier" }),
  "documentation-license": text.optional(),
  licensor: text.optional(),
  function: text.optional(),
  description: text.optional(),
  keywords: z.union([z.array(text).max(100), text.transform((v) => v.split(/[,]+/))], { error: "must be a list of keywords" }).optional(),
  "technology-readiness-level": text.optional(),
  "documentation-readiness-level": text.optional(),
  "fork-of": text.optional(),
  "release-notes": text.optional(),
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
