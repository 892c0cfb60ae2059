import type { Context, Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { outboxCommitted } from "../server/modules/outbox/index.ts";
import {
  claimDueOutboxEntries,
  markOutboxRelayed,
  type OutboxEntry,
  recordOutboxRelayFailure,
} from "../server/modules/outbox/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { resolveOutboxRecipients } from "./outbox-recipients.ts";
import { signOutgoingActivity } from "./signing/sign-outgoing.ts";

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
 * Hands committed outbox entries to Fedify: each is signed as stored (federation/signing/) and
 * forwarded through the sender's outbox (federation/outbox-forwarding.ts), which queues one
 * HTTP-signed delivery per inbox on the durable queue. Runs in worker processes until `signal`
 * aborts; an entry is marked relayed only after Fedify has queued it, so a crash in between relays
 * it again (receivers dedupe by activity id).
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
      for (const entry of entries) await relayEntry(federation, ctx, deps, entry);
      if (entries.length === batchSize || woken) continue;
      await idle(signal, pollIntervalMs);
    }
  } finally {
    outboxCommitted.off("committed", wake);
  }
}

async function relayEntry(federation: Federation<FederationDeps>, ctx: Context<FederationDeps>, deps: FederationDeps, entry: OutboxEntry): Promise<void> {
  try {
    const recipients = await resolveOutboxRecipients(deps, entry);
    if (recipients.length > 0) {
      const activity = await signOutgoingActivity(entry.activity, await ctx.getActorKeyPairs(entry.sender), ctx.contextLoader);
      const request = new Request(ctx.getOutboxUri(entry.sender), {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(activity),
      });
      const response = await federation.fetch(request, { contextData: { ...deps, outboxForward: { recipients, orderingKey: entry.orderingKey } } });
      if (response.status === 404) {
        // The sender is no longer a public actor (a member disabled or not yet approved): nobody
        // could verify its signature, so retrying cannot help.
        logger.warn("Dropped outbox entry {id}: its sender {sender} is no longer a public actor", { id: entry.id, sender: entry.sender });
      } else if (response.status !== 202) {
        throw new Error(`the outbox of ${entry.sender} refused the activity: ${response.status} ${await response.text()}`);
      }
    }
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
