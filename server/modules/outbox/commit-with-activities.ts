import { EventEmitter } from "node:events";
import type { Db, DbOrTrx } from "../../db/database.ts";
import { type ActivityDraft, appendToOutbox } from "./outbox.repository.ts";

/** Emitted after a transaction with activities commits, so a relay in this process starts at once. */
export const outboxCommitted = new EventEmitter().setMaxListeners(0);

export type EmitActivity = (draft: ActivityDraft) => Promise<void>;

/**
 * The transactional outbox: runs `work` in one transaction in which `emit` records the activities the
 * change causes. Both commit or neither does, so a crash can never keep a change and lose its
 * activities (or send activities about a change that rolled back). Delivery happens after commit,
 * by the relay (federation/outbox-relay.ts), and never turns the user's request into an error.
 */
export async function commitWithActivities<T>(db: Db, work: (trx: DbOrTrx, emit: EmitActivity) => Promise<T>): Promise<T> {
  let emitted = 0;
  const result = await db.transaction().execute(async (trx) => {
    const emit: EmitActivity = async (draft) => {
      await appendToOutbox(trx, draft);
      emitted++;
    };
    return await work(trx, emit);
  });
  if (emitted > 0) outboxCommitted.emit("committed");
  return result;
}
