import { z } from "zod";

/**
 * The inputs of following and replying, one named schema each, shared by the JSON API and the web
 * forms (docs/architecture.md#conventions).
 */

/** `user@host` as Mastodon accepts it (USERNAME_ONLY_RE), the host with an optional port. */
const ACCT_PATTERN = /^@?([A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?::\d{1,5})?)$/;
const MAX_TARGET = 2048;

/** Someone to follow: the URL of their profile or actor, or their handle. */
export type FollowTarget =
  | { readonly kind: "url"; readonly url: URL }
  | { readonly kind: "acct"; readonly username: string; readonly host: string };

/** `user@host` (no leading @), host lowercased. */
export function acctOf(target: Extract<FollowTarget, { kind: "acct" }>): string {
  return `${target.username}@${target.host}`;
}

/** The target as the user would recognise it in a message. */
export function describeTarget(target: FollowTarget): string {
  return target.kind === "url" ? target.url.href : `@${acctOf(target)}`;
}

function parseTarget(value: string): FollowTarget | null {
  const acct = ACCT_PATTERN.exec(value);
  if (acct !== null) return { kind: "acct", username: acct[1]!, host: acct[2]!.toLowerCase() };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.username !== "" || url.password !== "") return null;
  return { kind: "url", url };
}

/** A URL (`https://mastodon.social/@alice`) or a handle (`@alice@mastodon.social` or `alice@mastodon.social`). */
export const FollowTargetStringSchema = z
  .string({ error: "is required" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(MAX_TARGET, { error: `must be at most ${MAX_TARGET} characters` })
  .transform((value, ctx) => {
    const target = parseTarget(value);
    if (target === null) {
      ctx.addIssue({ code: "custom", message: "must be an http(s) URL or a handle like @user@example.social" });
      return z.NEVER;
    }
    return target;
  });

export const FollowRequestSchema = z.object({ target: FollowTargetStringSchema });
export type FollowRequestInput = z.output<typeof FollowRequestSchema>;

/** A web URL: http or https only, no credentials. */
export const WebUrlSchema = z
  .string({ error: "is required" })
  .trim()
  .max(MAX_TARGET, { error: `must be at most ${MAX_TARGET} characters` })
  .refine((value) => parseTarget(value)?.kind === "url", { error: "must be an http(s) URL" })
  .transform((value) => new URL(value).href);

/**
 * "Follow from your fediverse account": the visitor's own handle and the IRI of the actor to follow
 * (ours). The visitor's server is found with WebFinger, so only a handle is accepted for `acct`.
 */
export const AuthorizeFollowSchema = z.object({
  acct: z
    .string({ error: "is required" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(300, { error: "must be at most 300 characters" })
    .transform((value, ctx) => {
      const target = parseTarget(value);
      if (target?.kind !== "acct") {
        ctx.addIssue({ code: "custom", message: "must be your fediverse handle, like @you@mastodon.social" });
        return z.NEVER;
      }
      return target;
    }),
  target: WebUrlSchema,
});
export type AuthorizeFollowInput = z.output<typeof AuthorizeFollowSchema>;

/** Paging of the timeline: `before` is the opaque cursor of the last item seen. */
export const TimelineQuerySchema = z.object({
  before: z.string().max(200, { error: "is not a cursor from this API" }).optional(),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be between 1 and 40" })
    .max(40, { error: "must be between 1 and 40" })
    .default(20),
});
export type TimelineQuery = z.output<typeof TimelineQuerySchema>;
