import { createFederation, type Federation, type KvKey, type MessageQueue } from "@fedify/fedify";
import type { Config } from "../server/platform/config.ts";
import type { Db } from "../server/db/database.ts";
import type { KyselyKvStore } from "../server/queue/kysely-kv-store.ts";
import { registerActors } from "./actors.ts";
import { deliveryHealthOptions, registerDeliveryRejections } from "./delivery-health.ts";
import { registerDesignForksCollection } from "./design-forks-collection.ts";
import { registerDirectoryCollection } from "./directory-collection.ts";
import { applyFetchPolicyToWebFinger, createLoaderFactories, fetchPolicyFor } from "./document-loader.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { registerFollowers } from "./followers.ts";
import { registerInbox } from "./inbox/index.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerOutboxForwarding } from "./outbox-forwarding.ts";
import { policyScopedQueue } from "./policy-scoped-queue.ts";
import { registerProjectObjects } from "./project-collections.ts";
import { deliveryRetryPolicy, inboxRetryPolicy } from "./retry-policy.ts";

/**
 * Fedify's KV prefixes (its defaults) whose entries may be a couple of seconds stale in one process:
 * caches of remote documents and keys, the signature spec each peer answered to, and the circuit
 * breaker, which re-reads after a failed compare-and-swap. Nonces and idempotence keys are not here.
 */
export const MEMORY_CACHEABLE_KV_PREFIXES: readonly KvKey[] = [
  ["_fedify", "remoteDocument"],
  ["_fedify", "publicKey"],
  ["_fedify", "httpMessageSignaturesSpec"],
  ["_fedify", "circuit"],
];

export interface FederationQueues {
  readonly inbox: MessageQueue;
  readonly outbox: MessageQueue;
  readonly fanout: MessageQueue;
}

/**
 * An inbox that answers a POST with a redirect: the redirect is not followed (see
 * server/platform/outbound-http/outbound-dispatcher.ts), and asking again will not change the answer.
 */
const REDIRECT_STATUSES = [300, 301, 302, 303, 307, 308];

/**
 * Fedify configured for this node: our database-backed KV store and queues, the canonical origin from
 * PUBLIC_URL (URIs never follow a spoofable Host header), the 72-hour retry schedule, and the circuit
 * breaker holding deliveries to unreachable hosts for up to a week instead of dropping them. Answers
 * that no retry can change are not retried, and every host's delivery health is recorded
 * (federation/delivery-health.ts).
 */
export function createAppFederation(config: Config, kv: KyselyKvStore, queues: FederationQueues, db: Db): Federation<FederationDeps> {
  const fetchPolicy = fetchPolicyFor(config);
  const health = deliveryHealthOptions(db);
  const scoped = (queue: MessageQueue) => policyScopedQueue(queue, fetchPolicy.addresses);
  const federation = createFederation<FederationDeps>({
    kv,
    // Handlers run under the address policy: deliveries and WebFinger go through the global fetch.
    queue: { inbox: scoped(queues.inbox), outbox: scoped(queues.outbox), fanout: scoped(queues.fanout) },
    manuallyStartQueue: true,
    origin: config.publicUrl.origin,
    // Size cap, timeout, AP content types, private-address policy and User-Agent (G4 in docs/security.md#fedify-gaps).
    ...createLoaderFactories(fetchPolicy, kv),
    outboxRetryPolicy: deliveryRetryPolicy,
    inboxRetryPolicy,
    // Refusals (400, 403, 404, 410, 422) and redirects, which we never follow on a POST, are final.
    permanentFailureStatusCodes: [...health.permanentFailureStatusCodes, ...REDIRECT_STATUSES],
    onOutboxError: health.onOutboxError,
    meterProvider: health.meterProvider,
    circuitBreaker: { heldActivityTtl: { days: 7 }, recoveryDelay: { minutes: 30 }, onStateChange: health.onCircuitStateChange },
  });
  applyFetchPolicyToWebFinger(federation, fetchPolicy);
  registerActors(federation);
  registerFollowers(federation);
  registerDirectoryCollection(federation);
  registerDesignForksCollection(federation);
  registerProjectObjects(federation);
  registerNodeInfo(federation);
  registerInbox(federation);
  registerOutboxForwarding(federation);
  registerDeliveryRejections(federation);
  return federation;
}
