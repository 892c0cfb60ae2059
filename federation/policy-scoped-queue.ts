import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { AddressPolicy } from "../server/platform/outbound-http/address-policy.ts";
import { withOutboundPolicy } from "../server/platform/outbound-http/outbound-dispatcher.ts";

const logger = getLogger(["commonsnet", "outbox", "address-policy"]);

/**
 * A queue whose handlers run under the node's address policy: Fedify delivers with the global fetch,
 * and the policy in scope is what its agent enforces when a connection opens. Deliveries to an inbox
 * the policy refuses (a follower recorded while loopback was allowed, or one whose name now resolves
 * to a private address) are dropped with a log line instead of being retried for 72 hours: the
 * connect-time refusal alone would look like a transient network failure to Fedify.
 */
export function policyScopedQueue(queue: MessageQueue, policy: AddressPolicy): MessageQueue {
  const scoped: MessageQueue = {
    nativeRetrial: queue.nativeRetrial,
    enqueue: (message, options) => queue.enqueue(message, options),
    listen: (handler, options) =>
      queue.listen(
        (message: unknown) =>
          withOutboundPolicy(policy, async () => {
            const refusal = await deliveryRefusal(message, policy);
            if (refusal !== null) {
              logger.warning("Refused delivery of {activityId} to {inbox}: {reason}; not retrying", { ...describe(message), reason: refusal });
              return;
            }
            await handler(message);
          }),
        options,
      ),
  };
  if (queue.enqueueMany !== undefined) scoped.enqueueMany = (messages, options) => queue.enqueueMany!(messages, options);
  if (queue.getDepth !== undefined) scoped.getDepth = () => queue.getDepth!();
  return scoped;
}

interface DeliveryShape {
  readonly type: "outbox";
  readonly inbox: string;
  readonly activityId?: string;
}

function isDelivery(message: unknown): message is DeliveryShape {
  const m = message as Partial<DeliveryShape> | null;
  return typeof m === "object" && m !== null && m.type === "outbox" && typeof m.inbox === "string";
}

function describe(message: unknown): { activityId: string; inbox: string } {
  return isDelivery(message) ? { activityId: message.activityId ?? "(no id)", inbox: message.inbox } : { activityId: "(none)", inbox: "(none)" };
}

/**
 * Why the policy refuses this delivery's inbox, or null. A name that does not resolve now is left to
 * Fedify's retries (DNS outages pass); one that resolves to any refused address is refused.
 */
export async function deliveryRefusal(message: unknown, policy: AddressPolicy): Promise<string | null> {
  if (!isDelivery(message) || !URL.canParse(message.inbox)) return null;
  const inbox = new URL(message.inbox);
  if (inbox.protocol !== "http:" && inbox.protocol !== "https:") return `${inbox.protocol} is not http(s)`;
  const host = inbox.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0) return policy.permits(host) ? null : `${host} is not a public address`;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    return null;
  }
  const refused = addresses.find((a) => !policy.permits(a.address));
  return refused === undefined ? null : `${host} resolves to ${refused.address}, which is not a public address`;
}
