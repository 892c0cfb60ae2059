import { z } from "zod";
import { RESERVED_HANDLES } from "./reserved-handles.ts";

/**
 * A local actor's handle, as in `@bikekitchen@node.city`. Lowercase letters, digits and underscores,
 * the subset Mastodon links as a mention (app/models/account.rb USERNAME_RE).
 */
export const HandleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, { error: "must not be empty" })
  .max(30, { error: "must be at most 30 characters" })
  .regex(/^[a-z0-9_]+$/, { error: "may contain only letters, digits and underscores" })
  .refine((h) => !RESERVED_HANDLES.has(h), { error: "is reserved" });

/** The node actor bypasses the schema: its handle is the first reserved one. */
export const NODE_ACTOR_HANDLE = "node";
