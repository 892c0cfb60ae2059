import { z } from "zod";
import { UUID_PATTERN } from "../../platform/ids.ts";
import { MAX_ALT_LENGTH } from "../media/media.schema.ts";

/**
 * The inputs of project updates, shared by the JSON API and the web forms (docs/architecture.md#conventions).
 * Mastodon shows at most four attachments per post (app/models/status.rb).
 */
export const UPDATE_CONTENT_MAX = 5000;
export const UPDATE_IMAGES_MAX = 4;

export const UpdateContentSchema = z
  .string({ error: "is required" })
  .overwrite((v) => v.replace(/\r\n?/g, "\n"))
  .trim()
  .min(1, { error: "must not be empty" })
  .max(UPDATE_CONTENT_MAX, { error: `must be at most ${UPDATE_CONTENT_MAX} characters` });

const MediaIdSchema = z.string({ error: "must be the id of an upload" }).regex(UUID_PATTERN, { error: "must be the id of an upload" });

/** An image: an upload id, or `{id, description}` to set its alt text at the same time. */
export const UpdateImageSchema = z
  .union([
    MediaIdSchema,
    z.object({
      id: MediaIdSchema,
      description: z.string({ error: "must be text" }).trim().max(MAX_ALT_LENGTH, { error: `must be at most ${MAX_ALT_LENGTH} characters` }).optional(),
    }),
  ], { error: "must be an upload id or {id, description}" })
  .transform((v) => (typeof v === "string" ? { id: v, description: undefined } : v));
export type UpdateImageInput = z.output<typeof UpdateImageSchema>;

export const UpdateImagesSchema = z
  .array(UpdateImageSchema, { error: "must be a list of images" })
  .max(UPDATE_IMAGES_MAX, { error: `must have at most ${UPDATE_IMAGES_MAX} images` })
  .refine((images) => new Set(images.map((i) => i.id)).size === images.length, { error: "must not repeat an image" });

export const PostUpdateSchema = z.object({
  content: UpdateContentSchema,
  images: UpdateImagesSchema.default([]),
});
export type PostUpdateInput = z.output<typeof PostUpdateSchema>;

/** PATCH: new content or images make an edit (`Update` with a newer `updated`); `pinned` pins or unpins. */
export const EditUpdateSchema = z.object({
  content: UpdateContentSchema.optional(),
  images: UpdateImagesSchema.optional(),
  pinned: z.boolean({ error: "must be true or false" }).optional(),
});
export type EditUpdateInput = z.output<typeof EditUpdateSchema>;
