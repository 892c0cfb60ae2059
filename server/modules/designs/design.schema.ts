import { z } from "zod";
import { HandleSchema } from "../actors/handle.schema.ts";
import { SpdxIdSchema } from "../charter/index.ts";
import { ProjectTagsSchema } from "../projects/project.schema.ts";

export { compareVersionsDescending, VERSION_MAX, VersionSchema, versionOrder } from "./release-version.ts";
import { VersionSchema } from "./release-version.ts";

export const DESIGN_NAME_MAX = 100;
export const DESIGN_SUMMARY_MAX = 5_000;
export const DESIGN_FUNCTION_MAX = 1_000;
export const LICENSOR_MAX = 200;
export const RELEASE_NOTES_MAX = 20_000;
export const BOM_LINES_MAX = 500;
const BOM_TEXT_MAX = 200;

/**
 * Share-alike ("copyleft") licences: a fork keeps the same licence. Hardware (CERN-OHL-S, TAPR-OHL,
 * the Solderpad-free strongly reciprocal ones), documentation (CC-BY-SA, GFDL) and software (GPL,
 * AGPL, LGPL, MPL is file-level and not listed) families, matched on the SPDX id
 * (https://spdx.org/licenses/).
 */
const SHARE_ALIKE = [/^CERN-OHL-S-/i, /^CERN-OHL-W-/i, /^CC-BY-SA-/i, /^CC-BY-NC-SA-/i, /^GPL-/i, /^AGPL-/i, /^LGPL-/i, /^GFDL-/i, /^TAPR-OHL-/i, /^OHL-S/i, /^EUPL-/i, /^OSL-/i];

/** Whether a fork of a design under this licence must keep it (share-alike). */
export function isShareAlike(spdx: string): boolean {
  return SHARE_ALIKE.some((pattern) => pattern.test(spdx));
}

/** An SPDX id, checked against the SPDX list as the charter's licences are (an unknown one is named in the error). */
export const LicenceSchema = SpdxIdSchema;

/** OKH-LOSH technology readiness levels (https://github.com/iop-alliance/OpenKnowHow, okh-losh.ttl). */
export const TRL_VALUES = ["OTRL-1", "OTRL-2", "OTRL-3", "OTRL-4", "OTRL-5", "OTRL-6", "OTRL-7", "OTRL-8"] as const;
/** OKH-LOSH documentation readiness levels. */
export const DRL_VALUES = ["ODRL-1", "ODRL-2", "ODRL-3", "ODRL-3*", "ODRL-4"] as const;

const readiness = (values: readonly string[], what: string) =>
  z
    .string({ error: `must be one of ${values.join(", ")}` })
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => values.includes(v), { error: (issue) => `“${String(issue.input).slice(0, 20)}” is not a ${what} (one of ${values.join(", ")})` });

export const TrlSchema = readiness(TRL_VALUES, "technology readiness level");
export const DrlSchema = readiness(DRL_VALUES, "documentation readiness level");

const optionalText = (max: number) =>
  z
    .string({ error: "must be text" })
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .nullish()
    .transform((v) => v || null);

const HttpUrlSchema = z
  .string({ error: "must be a URL" })
  .trim()
  .max(2_000, { error: "must be at most 2000 characters" })
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: "must be an http or https URL" });

/** One line of a bill of materials: part, quantity, unit, material, source/supplier, optional link. */
export const BomLineSchema = z.object(
  {
    part: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(BOM_TEXT_MAX, { error: `must be at most ${BOM_TEXT_MAX} characters` }),
    quantity: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
      z.number({ error: "must be a number" }).positive({ error: "must be more than 0" }).max(1e9, { error: "is too large" }),
    ),
    unit: z.string({ error: "must be text" }).trim().max(32, { error: "must be at most 32 characters" }).optional().transform((v) => v || "pcs"),
    material: optionalText(BOM_TEXT_MAX),
    source: optionalText(BOM_TEXT_MAX),
    link: HttpUrlSchema.nullish().transform((v) => v ?? null),
  },
  { error: "must be an object {part, quantity, unit?, material?, source?, link?}" },
);
export type BomLineInput = z.output<typeof BomLineSchema>;

const NameSchema = z.string({ error: "is required" }).trim().min(1, { error: "must not be empty" }).max(DESIGN_NAME_MAX, { error: `must be at most ${DESIGN_NAME_MAX} characters` });
const SummarySchema = z.string({ error: "must be text" }).max(DESIGN_SUMMARY_MAX, { error: `must be at most ${DESIGN_SUMMARY_MAX} characters` });
const FunctionSchema = z.string({ error: "must be text" }).trim().max(DESIGN_FUNCTION_MAX, { error: `must be at most ${DESIGN_FUNCTION_MAX} characters` });
const LicensorSchema = z.string({ error: "must be text" }).trim().max(LICENSOR_MAX, { error: `must be at most ${LICENSOR_MAX} characters` });
/** A local project by handle; the service checks it exists (422 when it does not). */
const ProjectHandleSchema = z.string({ error: "must be a project handle" }).trim().toLowerCase().min(1, { error: "must not be empty" }).max(100, { error: "is too long" });

export const CreateDesignSchema = z.object({
  handle: HandleSchema,
  name: NameSchema,
  summary: SummarySchema.default(""),
  function: FunctionSchema.default(""),
  tags: ProjectTagsSchema.default([]),
  licence: LicenceSchema,
  documentationLicence: LicenceSchema.nullish().transform((v) => v ?? null),
  licensor: LicensorSchema.default(""),
  project: ProjectHandleSchema.nullish().transform((v) => v ?? null),
  /** Listed in the directory (and sent to peers); maintainers choose. */
  listed: z.boolean({ error: "must be true or false" }).default(true),
});
export type CreateDesignInput = z.output<typeof CreateDesignSchema>;

/** PATCH: every field optional; null clears the documentation licence and the project. */
export const EditDesignSchema = z.object({
  name: NameSchema.optional(),
  summary: SummarySchema.optional(),
  function: FunctionSchema.optional(),
  tags: ProjectTagsSchema.optional(),
  licence: LicenceSchema.optional(),
  documentationLicence: LicenceSchema.nullable().optional(),
  licensor: LicensorSchema.optional(),
  project: ProjectHandleSchema.nullable().optional(),
  listed: z.boolean({ error: "must be true or false" }).optional(),
});
export type EditDesignInput = z.output<typeof EditDesignSchema>;

export const ReleaseInputSchema = z.object({
  version: VersionSchema,
  notes: z.string({ error: "must be text" }).max(RELEASE_NOTES_MAX, { error: `must be at most ${RELEASE_NOTES_MAX} characters` }).default(""),
  trl: TrlSchema.nullish().transform((v) => v ?? null),
  drl: DrlSchema.nullish().transform((v) => v ?? null),
  bom: z.array(BomLineSchema, { error: "must be a list of lines" }).max(BOM_LINES_MAX, { error: `must have at most ${BOM_LINES_MAX} lines` }).default([]),
});
export type ReleaseInput = z.output<typeof ReleaseInputSchema>;

export const AddDesignMaintainerSchema = z.object({
  handle: z.string({ error: "is required" }).trim().toLowerCase().transform((v) => v.replace(/^@/, "")).pipe(z.string().min(1, { error: "is required" }).max(100, { error: "is too long" })),
});
export type AddDesignMaintainerInput = z.output<typeof AddDesignMaintainerSchema>;
