import { z } from "zod";

export const MEDIA_PURPOSES = ["attachment", "avatar", "banner"] as const;
export type MediaPurpose = (typeof MEDIA_PURPOSES)[number];

/** Mastodon 4.5 truncates longer descriptions (media_attachment_parser.rb). */
export const MAX_ALT_LENGTH = 1500;

/**
 * A focal point "x,y" with each coordinate in −1..1 (Mastodon's `focalPoint`: 0,0 is the centre,
 * 1,1 the top right).
 */
export const FocusSchema = z
  .string()
  .trim()
  .regex(/^-?\d+(?:\.\d+)?\s*,\s*-?\d+(?:\.\d+)?$/, { error: 'must be two numbers "x,y", each between -1 and 1' })
  .transform((value) => {
    const [x, y] = value.split(",").map((part) => Number(part.trim()));
    return { x: x!, y: y! };
  })
  .refine(({ x, y }) => Math.abs(x) <= 1 && Math.abs(y) <= 1, { error: "each coordinate must be between -1 and 1" });

/** The text fields sent with an uploaded image (multipart form fields, so every value is a string). */
export const MediaUploadSchema = z.object({
  description: z
    .string()
    .max(MAX_ALT_LENGTH, { error: `must be at most ${MAX_ALT_LENGTH} characters` })
    .transform((value) => value.trim())
    .default(""),
  focus: FocusSchema.default({ x: 0, y: 0 }),
  purpose: z.enum(MEDIA_PURPOSES, { error: `must be one of ${MEDIA_PURPOSES.join(", ")}` }).default("attachment"),
});
export type MediaUpload = z.output<typeof MediaUploadSchema>;
