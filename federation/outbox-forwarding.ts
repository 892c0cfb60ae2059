import type { Federation } from "@fedify/fedify";
import { Activity, type Recipient } from "@fedify/vocab";
import type { FederationDeps } from "./federation-deps.ts";
import { OUTBOX_PATH } from "./uris.ts";

/** Who receives one relayed outbox entry, and the order it keeps (Create before Update before Delete). */
export interface OutboxForwardOrder {
  readonly recipients: readonly Recipient[];
  readonly orderingKey?: string;
}

/**
 * The outbox relay hands each signed activity to Fedify as a client-to-server POST to the sender's
 * outbox, made in-process with `federation.fetch`; the listener forwards the payload unchanged
 * (OutboxContext.forwardActivity: "without re-serializing the original payload") onto the durable
 * delivery queue, where Fedify adds an HTTP signature per inbox, retries and holds deliveries to
 * unreachable hosts. This is the one public way into that queue that keeps members Fedify's
 * vocabulary does not model. Only a POST carrying an order (set by the relay as context data,
 * never by an HTTP request from outside) is authorised; any other POST to an outbox gets a 401.
 */
export function registerOutboxForwarding(federation: Federation<FederationDeps>): void {
  federation
    .setOutboxListeners(OUTBOX_PATH)
    .authorize((ctx) => ctx.data.outboxForward !== undefined)
    .on(Activity, async (ctx) => {
      const order = ctx.data.outboxForward!;
      // HTTP signatures use the RSA key alone (Mastodon verifies nothing else); each queued delivery
      // carries the keys it names, and Fedify imports them again per delivery, so name only that one.
      const rsa = (await ctx.getActorKeyPairs(ctx.identifier)).filter((pair) => pair.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5");
      if (rsa.length === 0) throw new Error(`${ctx.identifier} has no RSA key to sign deliveries with`);
      await ctx.forwardActivity(rsa, [...order.recipients], {
        preferSharedInbox: true,
        orderingKey: order.orderingKey,
        skipIfUnsigned: false, // the relay signs everything; an unsigned payload would be a bug to see, not to drop
      });
    });
}
