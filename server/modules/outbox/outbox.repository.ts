import type { Selectable } from "kysely";
import { sql } from "kysely";
import type { DbOrTrx, OutboxTable } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";

/** An explicit recipient (an actor and its inboxes) or the sender's followers. */
export interface OutboxRecipient {
  readonly id: string;
  readonly inbox: string;
  readonly sharedInbox?: string;
}
export type OutboxRecipients = "followers" | readonly OutboxRecipient[];

/** An activity to deliver, already translated to JSON-LD by federation/ (modules never see vocab). */
export interface ActivityDraft {
  /** Handle of the local actor that signs and sends it. */
  readonly sender: string;
  readonly recipients: OutboxRecipients;
  readonly activity: Readonly<Record<string, unknown>>;
  /** Activities about one object are delivered in order (Create before Update before Delete). */
  readonly orderingKey?: string;
}

export interface OutboxEntry extends ActivityDraft {
  readonly id: number;
  readonly attempts: number;
}

function rowToEntry(row: Selectable<OutboxTable>): OutboxEntry {
  return {
    id: row.id,
    sender: row.sender,
    recipients: row.recipients as OutboxRecipients,
    activity: row.activity as Record<string, unknown>,
    orderingKey: row.ordering_key ?? undefined,
    attempts: row.attempts,
  };
}

export async function appendToOutbox(db: DbOrTrx, draft: ActivityDraft): Promise<number> {
  const row = await db
    .insertInto("outbox")
    .values({
      sender: draft.sender,
      recipients: jsonb(draft.recipients),
      activity: jsonb(draft.activity),
      ordering_key: draft.orderingKey ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Leases up to `limit` due entries to this relay (oldest first). A relay that dies leaves them due
 * again when the lease ends, so an entry is relayed at least once.
 */
export async function claimDueOutboxEntries(db: DbOrTrx, limit: number, leaseSeconds: number): Promise<OutboxEntry[]> {
  const { rows } = await sql<Selectable<OutboxTable>>`
    UPDATE outbox SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds}::float8), attempts = attempts + 1
     WHERE id IN (SELECT id FROM outbox WHERE relayed_at IS NULL AND next_attempt_at <= now()
                   ORDER BY id FOR UPDATE SKIP LOCKED LIMIT ${limit})
    RETURNING *`.execute(db);
  return rows.sort((a, b) => a.id - b.id).map(rowToEntry);
}

export async function markOutboxRelayed(db: DbOrTrx, id: number): Promise<void> {
  await db.updateTable("outbox").set({ relayed_at: sql<Date>`now()`, last_error: null }).where("id", "=", id).execute();
}

export async function recordOutboxRelayFailure(db: DbOrTrx, id: number, error: string, retryInSeconds: number): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ last_error: error.slice(0, 4000), next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryInSeconds}::float8)` })
    .where("id", "=", id)
    .execute();
}

export async function countPendingOutbox(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("relayed_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Relayed entries are kept a while for inspection, then pruned. */
export async function pruneRelayedOutbox(db: DbOrTrx, olderThanDays: number): Promise<number> {
  const result = await db
    .deleteFrom("outbox")
    .where("relayed_at", "<", sql<Date>`now() - make_interval(days => ${olderThanDays}::int)`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
