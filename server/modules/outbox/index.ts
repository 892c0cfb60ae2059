/**
 * The outbox: activities committed in the same transaction as the change that causes them, then
 * relayed to Fedify's queue (federation/outbox-relay.ts). Modules commit through `commitWithActivities`
 * and hand it drafts; federation/ builds the drafts and relays the entries; the app counts and prunes.
 */
export { commitWithActivities, type EmitActivity, outboxCommitted } from "./commit-with-activities.ts";
export {
  type ActivityDraft,
  claimDueOutboxEntries,
  countPendingOutbox,
  markOutboxRelayed,
  type OutboxEntry,
  type OutboxRecipient,
  type OutboxRecipients,
  pruneRelayedOutbox,
  recordOutboxRelayFailure,
} from "./outbox.repository.ts";
