import { z } from "zod";
import { UUID_PATTERN } from "../../platform/ids.ts";
import { HandleSchema } from "../actors/handle.schema.ts";

/**
 * The inputs of members' accounts, one named schema each, shared by the JSON API and the web forms
 * (docs/architecture.md#conventions). Web forms send empty strings for empty fields; `blankToUndefined` maps them first.
 */

/** OWASP ASVS 2.1: at least 10 characters (we hash with Argon2id, so length is what matters), at most 256. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const DISPLAY_NAME_MAX_LENGTH = 100;
export const BIO_MAX_LENGTH = 500;

export const PasswordSchema = z
  .string({ error: "is required" })
  .min(PASSWORD_MIN_LENGTH, { error: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` });

export const DisplayNameSchema = z
  .string()
  .trim()
  .max(DISPLAY_NAME_MAX_LENGTH, { error: `must be at most ${DISPLAY_NAME_MAX_LENGTH} characters` })
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: "must not contain control characters" });

/** Plain text (no Markdown, no HTML): rendered escaped, paragraph by paragraph. */
export const BioSchema = z
  .string()
  .overwrite((v) => v.replace(/\r\n?/g, "\n"))
  .trim()
  .max(BIO_MAX_LENGTH, { error: `must be at most ${BIO_MAX_LENGTH} characters` });

export const RegistrationSchema = z.object({
  username: HandleSchema,
  password: PasswordSchema,
  displayName: DisplayNameSchema.optional(),
  inviteCode: z.string().trim().max(200, { error: "is not a valid invite code" }).optional(),
});
export type RegistrationInput = z.output<typeof RegistrationSchema>;

/** Sign-in takes the username loosely: a wrong one is "invalid credentials", never a schema error that leaks rules. */
export const LoginSchema = z.object({
  username: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(100, { error: "is too long" }),
  password: z.string({ error: "is required" }).min(1, { error: "is required" }).max(PASSWORD_MAX_LENGTH, { error: "is too long" }),
  name: z.string().trim().max(100, { error: "must be at most 100 characters" }).optional(),
});
export type LoginInput = z.output<typeof LoginSchema>;

export const ProfileSchema = z
  .object({
    displayName: DisplayNameSchema.optional(),
    bio: BioSchema.optional(),
    /** An upload of the member's made with purpose "avatar" (POST /api/v1/media), or null to remove it. */
    avatar: z.string().regex(UUID_PATTERN, { error: "must be the id of an upload" }).nullable().optional(),
  })
  .strict();
export type ProfileInput = z.output<typeof ProfileSchema>;

export const InviteRequestSchema = z.object({
  expiresInDays: z
    .number({ error: "must be a number of days" })
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be between 1 and 365" })
    .max(365, { error: "must be between 1 and 365" })
    .default(7),
});

export const AccountStatusFilterSchema = z.object({
  status: z.enum(["active", "pending", "disabled"], { error: "must be active, pending or disabled" }).default("pending"),
});

/** Web forms post "" for an empty field; the schemas treat that as absent. */
export function blankToUndefined(form: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(form).map(([key, value]) => [key, value === "" ? undefined : value]));
}
