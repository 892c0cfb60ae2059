import type { Db, DbOrTrx } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";
import { hostOf } from "../charter/peer-policy.ts";
import { type DirectoryEntry, ENTRY_COLUMNS, rowToEntry, textArray } from "./directory-entry.ts";
import type { DirectoryEntryDraft } from "./directory-entry.schema.ts";

/** Where a received entry came from: the peer that delivered it and its hop count here. */
export interface ReceivedVia {
  readonly peerId: number;
  /** 1 when the origin itself sent it, the forwarder's hops + 1 otherwise. */
  readonly hops: number;
  /** The origin's consent as stored (defaults to the draft's `maxHops`). */
  readonly maxHops?: number;
}

export type ReceivedEntryOutcome =
  | { readonly outcome: "created" | "updated" | "unchanged"; readonly entry: DirectoryEntry }
  | { readonly outcome: "refused"; readonly reason: string };

function draftColumns(draft: DirectoryEntryDraft) {
  return {
    kind: draft.kind,
    name: draft.name,
    summary: draft.summary,
    tags: textArray(draft.tags),
    location_name: draft.location?.name ?? null,
    latitude: draft.location?.latitude ?? null,
    longitude: draft.location?.longitude ?? null,
    locality: draft.locality,
    region: draft.region,
    country: draft.country,
    bioregion: draft.bioregion,
    url: draft.url,
    updated_at: draft.updatedAt,
    licence: draft.licence,
    latest_version: draft.latestVersion,
    made_count: draft.madeCount,
    made_points: jsonb(draft.madePoints.map((p) => [p.latitude, p.longitude])),
  };
}

/**
 * Stores an entry received from a peer, once per IRI however many paths bring it: the lowest hop
 * count (and the peer that gave it) is kept, content changes only for a newer `updated`, and an
 * existing row never changes origin, nor is a local entry ever overwritten. The caller has verified
 * the draft against its origin (docs/security.md#origins, ORI-13); this still refuses an IRI that is not on
 * the origin's host.
 */
export async function upsertReceivedEntry(db: DbOrTrx, draft: DirectoryEntryDraft, via: ReceivedVia): Promise<ReceivedEntryOutcome> {
  const originHost = hostOf(draft.origin);
  if (hostOf(draft.iri) !== originHost) return { outcome: "refused", reason: `the entry ${draft.iri} is not on its origin's host ${originHost}` };
  const maxHops = via.maxHops ?? draft.maxHops;
  // Redeliveries (a backfill read again, the same entry by several paths) are the common case: they
  // are answered by one read, without a write transaction.
  const known = await db.selectFrom("directory_entries").select(ENTRY_COLUMNS).where("iri", "=", draft.iri).executeTakeFirst();
  if (known !== undefined) {
    const existing = rowToEntry(known);
    const refusal = refusalFor(existing, draft);
    if (refusal !== undefined) return { outcome: "refused", reason: refusal };
    if (draft.updatedAt.getTime() <= existing.updatedAt.getTime() && via.hops >= existing.hops) return { outcome: "unchanged", entry: existing };
  }
  return await inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto("directory_entries")
      .values({ ...draftColumns(draft), iri: draft.iri, origin: draft.origin, origin_host: originHost, received_from_peer_id: via.peerId, hops: via.hops, max_hops: maxHops })
      .onConflict((oc) => oc.column("iri").doNothing())
      .returning(ENTRY_COLUMNS)
      .executeTakeFirst();
    if (inserted) return { outcome: "created", entry: rowToEntry(inserted) };

    const row = await trx.selectFrom("directory_entries").select(ENTRY_COLUMNS).where("iri", "=", draft.iri).forUpdate().executeTakeFirstOrThrow();
    const existing = rowToEntry(row);
    const refusal = refusalFor(existing, draft);
    if (refusal !== undefined) return { outcome: "refused", reason: refusal };
    const newer = draft.updatedAt.getTime() > existing.updatedAt.getTime();
    const shorter = via.hops < existing.hops;
    if (!newer && !shorter) return { outcome: "unchanged", entry: existing };
    const updated = await trx
      .updateTable("directory_entries")
      .set({
        ...(newer && { ...draftColumns(draft), max_hops: maxHops }),
        ...(shorter && { hops: via.hops, received_from_peer_id: via.peerId }),
      })
      .where("id", "=", existing.id)
      .returning(ENTRY_COLUMNS)
      .executeTakeFirstOrThrow();
    return { outcome: "updated", entry: rowToEntry(updated) };
  });
}

/** Why a stored entry may not take this draft: it is ours, or it has another origin. */
function refusalFor(existing: DirectoryEntry, draft: DirectoryEntryDraft): string | undefined {
  if (existing.localActorId !== null) return `${draft.iri} is one of this node's own entries`;
  if (existing.origin !== draft.origin) return `${draft.iri} is already stored with origin ${existing.origin}, not ${draft.origin}`;
  return undefined;
}

/** Removes a received entry when its origin says so (a `Delete` from a node of `originHost`); false when absent. */
export async function removeEntry(db: DbOrTrx, iri: string, originHost: string): Promise<boolean> {
  const rows = await db
    .deleteFrom("directory_entries")
    .where("iri", "=", iri)
    .where("origin_host", "=", originHost.toLowerCase())
    .where("local_actor_id", "is", null)
    .returning("id")
    .execute();
  return rows.length > 0;
}

/** A disconnect: every entry the peer gave us goes (entries from others, even of the same origin, stay). */
export async function removeEntriesFromPeer(db: DbOrTrx, peerId: number): Promise<number> {
  const rows = await db.deleteFrom("directory_entries").where("received_from_peer_id", "=", peerId).where("local_actor_id", "is", null).returning("id").execute();
  return rows.length;
}

/** A local project's listing, as `syncLocalEntry` computes it. */
export interface LocalEntryFields extends Omit<DirectoryEntryDraft, "maxHops"> {
  readonly localActorId: number;
  readonly maxHops: number;
}

export async function upsertLocalEntry(db: DbOrTrx, fields: LocalEntryFields): Promise<DirectoryEntry> {
  const columns = { ...draftColumns({ ...fields }), iri: fields.iri, origin: fields.origin, origin_host: hostOf(fields.origin), max_hops: fields.maxHops };
  const row = await db
    .insertInto("directory_entries")
    .values({ ...columns, local_actor_id: fields.localActorId, hops: 0 })
    .onConflict((oc) => oc.column("iri").doUpdateSet({ ...columns, local_actor_id: fields.localActorId, received_from_peer_id: null, hops: 0 }))
    .returning(ENTRY_COLUMNS)
    .executeTakeFirstOrThrow();
  return rowToEntry(row);
}

export async function deleteLocalEntry(db: DbOrTrx, localActorId: number): Promise<DirectoryEntry | undefined> {
  const row = await db.deleteFrom("directory_entries").where("local_actor_id", "=", localActorId).returning(ENTRY_COLUMNS).executeTakeFirst();
  return row && rowToEntry(row);
}

async function inTransaction<T>(db: DbOrTrx, work: (trx: DbOrTrx) => Promise<T>): Promise<T> {
  return db.isTransaction ? await work(db) : await (db as Db).transaction().execute(work);
}
