import { z } from "zod";
import { UUID_PATTERN } from "../../platform/ids.ts";

/**
 * The inputs of "made here" reports (docs/made-here.md): one schema for a member's report
 * (the JSON API and the report-a-build form), one for a report received from another node, parsed
 * from its `EconomicEvent` by federation/translate/made-report.ts before anything is stored.
 */

export const PLACE_MAX = 200;
export const FACILITY_MAX = 200;
export const MADE_NOTES_MAX = 5000;
export const DEVIATIONS_MAX = 2000;
export const MADE_PHOTOS_MAX = 4;
export const ALT_TEXT_MAX = 1500;
export const URL_MAX = 2000;
/** A build reported a little ahead of our clock is a clock skew, not a build in the future. */
export const MADE_AT_SKEW_MS = 5 * 60 * 1000;
/** Nothing printed from a shared design was built before this. */
export const MADE_AT_EARLIEST = new Date("1900-01-01T00:00:00Z");

const noControl = (v: string) => !/[\u0000-\u001f\u007f]/.test(v);

export const PlaceSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(PLACE_MAX, { error: `must be at most ${PLACE_MAX} characters` })
  .refine(noControl, { error: "must not contain control characters" });

/** A coordinate in degrees; a web form sends it as text. */
const coordinate = (limit: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
    z
      .number({ error: "must be a number" })
      .refine(Number.isFinite, { error: "must be a number" })
      .min(-limit, { error: `must be between -${limit} and ${limit}` })
      .max(limit, { error: `must be between -${limit} and ${limit}` }),
  );
export const LatitudeSchema = coordinate(90);
export const LongitudeSchema = coordinate(180);

/**
 * When the build was finished: an ISO 8601 date or date-time, not before 1900 and not in the future
 * (a few minutes of clock skew allowed). "Now" is read when the input is parsed.
 */
export const MadeAtSchema = z
  .string({ error: "must be a date (ISO 8601, e.g. 2026-10-02 or 2026-10-02T17:00:00Z)" })
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    error: "must be a date (ISO 8601, e.g. 2026-10-02 or 2026-10-02T17:00:00Z)",
  })
  .transform((v) => new Date(v))
  .refine((d) => d.getTime() >= MADE_AT_EARLIEST.getTime(), { error: "must not be before 1900" })
  .refine((d) => d.getTime() <= Date.now() + MADE_AT_SKEW_MS, { error: "must not be in the future" });

const optionalText = (max: number) =>
  z
    .string({ error: "must be text" })
    .overwrite((v) => v.replace(/\r\n?/g, "\n"))
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .optional();

export const HttpUrlSchema = z
  .string({ error: "must be a URL" })
  .trim()
  .max(URL_MAX, { error: `must be at most ${URL_MAX} characters` })
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: "must be an http or https URL" });

/** A photo: one of the reporter's own uploads (POST /api/v1/media), with its alt text. */
export const MadePhotoInputSchema = z.object(
  {
    id: z.string({ error: "must be the id of an upload" }).regex(UUID_PATTERN, { error: "must be the id of an upload" }),
    /** Alt text; when absent, the description given at upload. One of them is required. */
    description: optionalText(ALT_TEXT_MAX),
  },
  { error: "must be an object {id, description?}" },
);

export const MadeReportSchema = z.object({
  place: PlaceSchema,
  latitude: LatitudeSchema,
  longitude: LongitudeSchema,
  madeAt: MadeAtSchema,
  facility: optionalText(FACILITY_MAX).transform((v) => v || undefined),
  directoryEntry: HttpUrlSchema.optional(),
  /** Markdown. */
  notes: optionalText(MADE_NOTES_MAX).transform((v) => v ?? ""),
  /** Plain text: what was built differently from the design. */
  deviations: optionalText(DEVIATIONS_MAX).transform((v) => v ?? ""),
  media: z.array(MadePhotoInputSchema, { error: "must be a list of photos" }).max(MADE_PHOTOS_MAX, { error: `must have at most ${MADE_PHOTOS_MAX} photos` }).default([]),
});
export type MadeReportInput = z.output<typeof MadeReportSchema>;

/** A link of a fork chain as reports carry it (the chain of the design whose release was built, origin first). */
export const ForkLinkSchema = z.object({
  release: HttpUrlSchema,
  design: HttpUrlSchema,
  name: z.string().trim().max(200).default(""),
  host: z.string().trim().max(300).default(""),
  licence: z.string().trim().max(100).default(""),
});

export const RemotePhotoSchema = z.object({
  url: HttpUrlSchema,
  mediaType: z.string().trim().max(100).regex(/^image\/[a-z0-9.+-]+$/, { error: "must be an image type" }),
  alt: z.string().trim().max(ALT_TEXT_MAX).default(""),
  width: z.number().int().positive().max(100_000).nullable().default(null),
  height: z.number().int().positive().max(100_000).nullable().default(null),
});

/**
 * A report received from another node, as federation/ parsed it from the `EconomicEvent`. The
 * reporter is always the verified actor of the activity; `notesHtml` is already sanitised.
 */
export const RemoteMadeReportSchema = z.object({
  iri: HttpUrlSchema,
  releaseIri: HttpUrlSchema,
  designName: z.string().trim().max(200).default(""),
  version: z.string().trim().max(100).default(""),
  reporterIri: HttpUrlSchema,
  reporterName: z.string().trim().max(200).default(""),
  place: PlaceSchema,
  latitude: LatitudeSchema,
  longitude: LongitudeSchema,
  madeAt: MadeAtSchema,
  facility: z.string().trim().max(FACILITY_MAX).nullable().default(null),
  directoryEntry: HttpUrlSchema.nullable().default(null),
  notesHtml: z.string().max(MADE_NOTES_MAX * 4).default(""),
  deviations: z.string().trim().max(DEVIATIONS_MAX).default(""),
  photos: z.array(RemotePhotoSchema).max(MADE_PHOTOS_MAX).default([]),
  chain: z.array(ForkLinkSchema).max(100).default([]),
});
export type RemoteMadeReport = z.output<typeof RemoteMadeReportSchema>;
export type RemoteMadeReportInput = z.input<typeof RemoteMadeReportSchema>;
