import type { DbOrTrx } from "../../server/db/database.ts";
import { type DirectoryEntryDraft, DirectoryEntryDraftSchema, type DirectoryEntryDraftInput } from "../../server/modules/directory/directory-entry.schema.ts";
import { upsertReceivedEntry } from "../../server/modules/directory/directory.repository.ts";

/** City centres (Wikipedia's coordinates) and their great-circle distances, for distance searches. */
export const CITIES = {
  paris: { latitude: 48.8566, longitude: 2.3522 },
  london: { latitude: 51.5074, longitude: -0.1278 },
  lyon: { latitude: 45.764, longitude: 4.8357 },
  berlin: { latitude: 52.52, longitude: 13.405 },
} as const;
/** Haversine on a 6,371 km sphere: Paris–London 343.6 km, Paris–Lyon 391.5 km, Paris–Berlin 877.5 km. */
export const PARIS_LONDON_KM = 343.6;
export const PARIS_LYON_KM = 391.5;

/** A peer row, as the peering module would store it after a connection. */
export async function insertPeer(db: DbOrTrx, host: string): Promise<number> {
  const row = await db
    .insertInto("peers")
    .values({ host, actor_iri: `https://${host}/@node`, inbox: `https://${host}/@node/inbox`, we_follow: "accepted", they_follow: "accepted" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A received entry's draft from `host`, as a fetched entry document would give it. */
export function remoteDraft(host: string, slug: string, fields: Partial<DirectoryEntryDraftInput> = {}): DirectoryEntryDraft {
  return DirectoryEntryDraftSchema.parse({
    iri: `https://${host}/directory/entries/${slug}`,
    kind: "project",
    name: slug,
    url: `https://${host}/@${slug}`,
    origin: `https://${host}/@node`,
    updatedAt: "2026-03-01T12:00:00Z",
    maxHops: 1,
    ...fields,
  });
}

/** Stores a received entry (hops 1, from the given peer) and fails loudly if it was refused. */
export async function receive(db: DbOrTrx, peerId: number, draft: DirectoryEntryDraft, hops = 1): Promise<void> {
  const result = await upsertReceivedEntry(db, draft, { peerId, hops });
  if (result.outcome === "refused") throw new Error(`refused: ${result.reason}`);
}
