import { z } from "zod";
import { RESERVED_HANDLES } from "./reserved-handles.ts";

/**
 * A local actor's handle, as in `@bike-kitchen@node.city`: what Mastodon accepts as a remote username
 * (app/models/account.rb USERNAME_ONLY_RE, `[a-z0-9_]+([.-]+[a-z0-9_]+)*`), lowercased.
 */
export const HANDLE_PATTERN = /^[a-z0-9_]+(?:[.-][a-z0-9_]+)*$/;

export const HandleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, { error: "must not be empty" })
  .max(30, { error: "must be at most 30 characters" })
  .regex(HANDLE_PATTERN, { error: "may contain letters, digits and underscores, with single dots or hyphens between them" })
  .refine((h) => !RESERVED_HANDLES.has(h), { error: "is reserved" });

/** The node actor bypasses the schema: its handle is the first reserved one. */
export const NODE_ACTOR_HANDLE = "node";
