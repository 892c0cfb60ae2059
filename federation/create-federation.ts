import { createFederation, type Federation, type MessageQueue } from "@fedify/fedify";
import type { Config } from "../server/config.ts";
import type { KyselyKvStore } from "../server/queue/kysely-kv-store.ts";
import { SOFTWARE_VERSION } from "../server/version.ts";
import { registerActors } from "./actors.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { registerInbox } from "./inbox/index.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { deliveryRetryPolicy, inboxRetryPolicy } from "./retry-policy.ts";

export interface FederationQueues {
  readonly inbox: MessageQueue;
  readonly outbox: MessageQueue;
  readonly fanout: MessageQueue;
}

/**
 * Fedify configured for this node: our database-backed KV store and queues, the canonical origin from
 * PUBLIC_URL (URIs never follow a spoofable Host header), the 72-hour retry schedule, and the circuit
 * breaker holding deliveries to unreachable hosts for up to a week instead of dropping them.
 */
export function createAppFederation(config: Config, kv: KyselyKvStore, queues: FederationQueues): Federation<FederationDeps> {
  const federation = createFederation<FederationDeps>({
    kv,
    queue: queues,
    manuallyStartQueue: true,
    origin: config.publicUrl.origin,
    // allowPrivateAddress cannot be combined with a custom userAgent (stack-notes §2).
    ...(config.allowPrivateAddress
      ? { allowPrivateAddress: true }
      : { userAgent: { software: `Commonsnet/${SOFTWARE_VERSION}`, url: config.publicUrl } }),
    outboxRetryPolicy: deliveryRetryPolicy,
    inboxRetryPolicy,
    circuitBreaker: { heldActivityTtl: { days: 7 }, recoveryDelay: { minutes: 30 } },
  });
  registerActors(federation);
  registerNodeInfo(federation);
  registerInbox(federation);
  return federation;
}
