import { z } from "zod";
import { UUID_PATTERN } from "../../platform/ids.ts";
import { normalizeHashtag } from "../../platform/text/markdown.ts";
import { HandleSchema } from "../actors/handle.schema.ts";
import { CountryCodeSchema } from "../directory/directory-entry.schema.ts";

/**
 * The inputs of projects, one named schema each, shared by the JSON API and the web forms
 * (docs/architecture.md#conventions). Web forms map their fields to these shapes first (web/routes/projects.ts).
 */

export const PROJECT_NAME_MAX = 100;
export const PROJECT_SUMMARY_MAX = 5000;
export const PROJECT_TAGS_MAX = 20;
export const WEBSITE_MAX = 2000;
export const LOCATION_NAME_MAX = 200;

export const ProjectNameSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(PROJECT_NAME_MAX, { error: `must be at most ${PROJECT_NAME_MAX} characters` })
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: "must not contain control characters" });

/** Markdown source; rendered to Mastodon's HTML subset. */
export const ProjectSummarySchema = z
  .string({ error: "must be text" })
  .overwrite((v) => v.replace(/\r\n?/g, "\n"))
  .trim()
  .max(PROJECT_SUMMARY_MAX, { error: `must be at most ${PROJECT_SUMMARY_MAX} characters` });

/**
 * Tags as Mastodon normalises hashtags (`#Open-Source` → `opensource`), deduplicated. A web form sends
 * one string, split on commas and spaces.
 */
export const ProjectTagsSchema = z
  .union([z.array(z.string({ error: "must be text" })), z.string().transform((v) => v.split(/[\s,]+/).filter((t) => t.length > 0))], {
    error: "must be a list of tags",
  })
  .transform((tags, ctx) => {
    const normalised: string[] = [];
    tags.forEach((tag, index) => {
      const name = normalizeHashtag(tag);
      if (name === null) {
        ctx.addIssue({ code: "custom", path: [index], message: `"${tag.slice(0, 40)}" is not a tag: use letters, digits or _, with at least one letter` });
      } else if (!normalised.includes(name)) normalised.push(name);
    });
    return normalised;
  })
  .refine((tags) => tags.length <= PROJECT_TAGS_MAX, { error: `must have at most ${PROJECT_TAGS_MAX} tags` });

/** A coordinate; a web form sends it as text. */
const coordinate = (limit: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
    z
      .number({ error: "must be a number" })
      .min(-limit, { error: `must be between -${limit} and ${limit}` })
      .max(limit, { error: `must be between -${limit} and ${limit}` }),
  );

/** A place name part (locality, region, bioregion); empty means none. */
const placePart = z
  .string({ error: "must be text" })
  .trim()
  .max(LOCATION_NAME_MAX, { error: `must be at most ${LOCATION_NAME_MAX} characters` })
  .nullish()
  .transform((v) => v || undefined);

/** The directory lists these too: locality, region, country (ISO 3166-1 alpha-2) and bioregion. */
export const LocationSchema = z.object(
  {
    name: z.string().trim().max(LOCATION_NAME_MAX, { error: `must be at most ${LOCATION_NAME_MAX} characters` }).optional(),
    latitude: coordinate(90),
    longitude: coordinate(180),
    locality: placePart,
    region: placePart,
    country: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), CountryCodeSchema.nullish()).transform((v) => v || undefined),
    bioregion: placePart,
  },
  { error: "must be an object {name?, latitude, longitude, locality?, region?, country?, bioregion?}" },
);
export type LocationInput = z.output<typeof LocationSchema>;

export const WebsiteSchema = z
  .string({ error: "must be a URL" })
  .trim()
  .max(WEBSITE_MAX, { error: `must be at most ${WEBSITE_MAX} characters` })
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: "must be an http or https URL" });

const MediaIdSchema = z.string({ error: "must be the id of an upload" }).regex(UUID_PATTERN, { error: "must be the id of an upload" });

export const CreateProjectSchema = z.object({
  handle: HandleSchema,
  name: ProjectNameSchema,
  summary: ProjectSummarySchema.default(""),
  tags: ProjectTagsSchema.default([]),
  location: LocationSchema.nullable().optional(),
  website: WebsiteSchema.nullable().optional(),
  /** Uploads of the creator's made with purpose "avatar" / "banner" (POST /api/v1/media). */
  avatar: MediaIdSchema.nullable().optional(),
  banner: MediaIdSchema.nullable().optional(),
  /** Listed in the directory (and sent to peers); maintainers choose. */
  listed: z.boolean({ error: "must be true or false" }).default(true),
});
export type CreateProjectInput = z.output<typeof CreateProjectSchema>;

/** PATCH: every field optional; null clears location, website, avatar and banner. */
export const EditProjectSchema = z.object({
  name: ProjectNameSchema.optional(),
  summary: ProjectSummarySchema.optional(),
  tags: ProjectTagsSchema.optional(),
  location: LocationSchema.nullable().optional(),
  website: WebsiteSchema.nullable().optional(),
  avatar: MediaIdSchema.nullable().optional(),
  banner: MediaIdSchema.nullable().optional(),
  archived: z.boolean({ error: "must be true or false" }).optional(),
  listed: z.boolean({ error: "must be true or false" }).optional(),
});
export type EditProjectInput = z.output<typeof EditProjectSchema>;

export const AddMaintainerSchema = z.object({
  handle: z.string({ error: "is required" }).trim().toLowerCase().min(1, { error: "is required" }).max(100, { error: "is too long" }),
});
export type AddMaintainerInput = z.output<typeof AddMaintainerSchema>;
