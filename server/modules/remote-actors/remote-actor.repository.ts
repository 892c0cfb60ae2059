import type { Selectable } from "kysely";
import { sql } from "kysely";
import type { DbOrTrx, RemoteActorTable } from "../../db/database.ts";

/** What we keep of an actor on another server (already validated and sanitised by federation/). */
export interface RemoteActorDraft {
  readonly iri: string;
  readonly type: string;
  /** `user@host`, without a leading @. */
  readonly handle: string;
  readonly name: string;
  readonly summaryHtml: string;
  readonly url: string | null;
  readonly iconUrl: string | null;
  readonly inbox: string;
  readonly sharedInbox: string | null;
  readonly followersUrl: string | null;
}

export interface RemoteActor extends RemoteActorDraft {
  readonly id: number;
  readonly fetchedAt: Date;
  readonly deletedAt: Date | null;
}

function rowToRemoteActor(row: Selectable<RemoteActorTable>): RemoteActor {
  return {
    id: row.id,
    iri: row.iri,
    type: row.type,
    handle: row.handle,
    name: row.name,
    summaryHtml: row.summary_html,
    url: row.url,
    iconUrl: row.icon_url,
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    followersUrl: row.followers_url,
    fetchedAt: row.fetched_at,
    deletedAt: row.deleted_at,
  };
}

/** Inserts or refreshes by IRI (unique): a repeated delivery or a refresh never duplicates an actor. */
export async function upsertRemoteActor(db: DbOrTrx, draft: RemoteActorDraft): Promise<RemoteActor> {
  const values = {
    iri: draft.iri,
    type: draft.type,
    handle: draft.handle,
    name: draft.name,
    summary_html: draft.summaryHtml,
    url: draft.url,
    icon_url: draft.iconUrl,
    inbox: draft.inbox,
    shared_inbox: draft.sharedInbox,
    followers_url: draft.followersUrl,
    fetched_at: sql<Date>`now()`,
    deleted_at: null,
  };
  const { iri: _iri, ...changes } = values;
  const row = await db
    .insertInto("remote_actors")
    .values(values)
    .onConflict((oc) => oc.column("iri").doUpdateSet(changes))
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToRemoteActor(row);
}

export async function findRemoteActorByIri(db: DbOrTrx, iri: string): Promise<RemoteActor | undefined> {
  const row = await db.selectFrom("remote_actors").selectAll().where("iri", "=", iri).executeTakeFirst();
  return row && rowToRemoteActor(row);
}

/** A remote `Delete` of the actor: keep the row (tombstone) so its IRI is not resurrected. */
export async function markRemoteActorDeleted(db: DbOrTrx, iri: string): Promise<boolean> {
  const result = await db.updateTable("remote_actors").set({ deleted_at: sql<Date>`now()` }).where("iri", "=", iri).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Mastodon treats an actor as stale a day after its last fetch (account.rb), and so do we. */
export const REMOTE_ACTOR_STALE_MS = 24 * 3600 * 1000;

export function isStale(actor: RemoteActor, now = Date.now()): boolean {
  return now - actor.fetchedAt.getTime() > REMOTE_ACTOR_STALE_MS;
}
