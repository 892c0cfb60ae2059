import type { Context, Federation } from "@fedify/fedify";
import { Activity, type Recipient } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { outboxCommitted } from "../server/modules/outbox/commit-with-activities.ts";
import {
  claimDueOutboxEntries,
  markOutboxRelayed,
  type OutboxEntry,
  type OutboxRecipients,
  recordOutboxRelayFailure,
} from "../server/modules/outbox/outbox.repository.ts";
import type { FederationDeps } from "./federation-deps.ts";

const logger = getLogger(["commonsnet", "outbox"]);

export interface OutboxRelayOptions {
  readonly signal: AbortSignal;
  /** How often to look for entries committed by other processes. */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** An entry claimed by a relay that dies is picked up again after this. */
  readonly leaseSeconds?: number;
}

/**
 * Hands committed outbox entries to Fedify, which signs them and queues one delivery per inbox on
 * the durable queue. Runs in worker processes until `signal` aborts; an entry is marked relayed only
 * after Fedify has queued it, so a crash in between relays it again (receivers dedupe by activity id).
 */
export async function runOutboxRelay(federation: Federation<FederationDeps>, deps: FederationDeps, options: OutboxRelayOptions): Promise<void> {
  const { signal, pollIntervalMs = 1000, batchSize = 50, leaseSeconds = 120 } = options;
  const ctx = federation.createContext(deps.config.publicUrl, deps);
  let woken = false;
  const wake = () => {
    woken = true;
  };
  outboxCommitted.on("committed", wake);
  try {
    while (!signal.aborted) {
      woken = false;
      let entries: OutboxEntry[] = [];
      try {
        entries = await claimDueOutboxEntries(deps.db, batchSize, leaseSeconds);
      } catch (error) {
        if (!signal.aborted) logger.error("Could not read the outbox: {error}", { error });
      }
      for (const entry of entries) await relayEntry(ctx, deps, entry);
      if (entries.length === batchSize || woken) continue;
      await idle(signal, pollIntervalMs);
    }
  } finally {
    outboxCommitted.off("committed", wake);
  }
}

async function relayEntry(ctx: Context<FederationDeps>, deps: FederationDeps, entry: OutboxEntry): Promise<void> {
  try {
    const activity = await Activity.fromJsonLd(entry.activity, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
    const options = { orderingKey: entry.orderingKey, preferSharedInbox: true };
    const sender = { identifier: entry.sender };
    if (entry.recipients === "followers") await ctx.sendActivity(sender, "followers", activity, options);
    else await ctx.sendActivity(sender, toFedifyRecipients(entry.recipients), activity, options);
    await markOutboxRelayed(deps.db, entry.id);
  } catch (error) {
    const retryIn = Math.min(30 * 2 ** Math.min(entry.attempts, 10), 3600);
    logger.error("Relaying outbox entry {id} failed (attempt {attempts}), retrying in {retryIn} s: {error}", {
      id: entry.id,
      attempts: entry.attempts,
      retryIn,
      error,
    });
    await recordOutboxRelayFailure(deps.db, entry.id, String((error as Error)?.stack ?? error), retryIn).catch(() => {});
  }
}

function toFedifyRecipients(recipients: Exclude<OutboxRecipients, "followers">): Recipient[] {
  return recipients.map((r) => ({
    id: new URL(r.id),
    inboxId: new URL(r.inbox),
    endpoints: r.sharedInbox === undefined ? null : { sharedInbox: new URL(r.sharedInbox) },
  }));
}

async function idle(signal: AbortSignal, ms: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      outboxCommitted.off("committed", done);
      signal.removeEventListener("abort", done);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    outboxCommitted.once("committed", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
