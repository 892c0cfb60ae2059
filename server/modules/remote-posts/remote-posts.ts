import type { DbOrTrx } from "../../db/database.ts";
import { findRemotePostByIri, insertRemotePost } from "./remote-post.repository.ts";
import { RemotePostDraftSchema } from "./remote-post.schema.ts";

export type ReceiveOutcome =
  | { readonly outcome: "stored"; readonly id: number }
  /** Already stored: a repeated delivery changes nothing. */
  | { readonly outcome: "duplicate" }
  /** Deleted before: a deleted IRI is never created again (Mastodon's create.rb, delete.rb). */
  | { readonly outcome: "tombstoned" }
  | { readonly outcome: "invalid"; readonly reason: string };

/**
 * Stores a post received from its author's server once, after validating the draft. An existing
 * post is never rewritten by a `Create` (nor its author changed: docs/security.md#origins, ORI-03); edits
 * arrive as `Update`.
 */
export async function receiveRemotePost(db: DbOrTrx, input: unknown): Promise<ReceiveOutcome> {
  const parsed = RemotePostDraftSchema.safeParse(input);
  if (!parsed.success) {
    return { outcome: "invalid", reason: parsed.error.issues.map((i) => `${i.path.join(".") || "(post)"}: ${i.message}`).join("; ") };
  }
  const existing = await findRemotePostByIri(db, parsed.data.iri);
  if (existing !== undefined) return existing.deletedAt === null ? { outcome: "duplicate" } : { outcome: "tombstoned" };
  const id = await insertRemotePost(db, parsed.data);
  return id === null ? { outcome: "duplicate" } : { outcome: "stored", id };
}
