import { z } from "zod";

/**
 * A remote account's username as Mastodon accepts it (app/models/account.rb USERNAME_RE, matched
 * case-insensitively): letters, digits and underscores, with dots or hyphens only inside. Anything
 * else (an `@`, quotes, spaces, a right-to-left override) would let `preferredUsername` forge
 * another handle, e.g. `admin‮elpmaxe` shown as `admin@example…`; Mastodon refuses such accounts.
 */
export const REMOTE_USERNAME = /^[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?$/i;
/** Mastodon accepts remote usernames far longer than its local 30; past this it is noise, not a name. */
export const MAX_REMOTE_USERNAME = 200;

export const RemoteUsernameSchema = z
  .string({ error: "preferredUsername must be text" })
  .max(MAX_REMOTE_USERNAME, { error: `preferredUsername must be at most ${MAX_REMOTE_USERNAME} characters` })
  .regex(REMOTE_USERNAME, { error: "preferredUsername must be letters, digits and _, with . or - only inside (Mastodon's rule)" });

/**
 * Unicode bidirectional controls (embeddings, overrides, isolates and marks, UAX #9, section 2): in a
 * name they reorder what follows, so `evil‮moc.elpmaxe` reads as `evilexample.com`. A display name
 * needs none of them; they are removed before a name is stored or shown.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}
