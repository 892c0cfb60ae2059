import type { Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { NODE_IDENTITY } from "../actors.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { INBOX_PATH, SHARED_INBOX_PATH } from "../uris.ts";

const logger = getLogger(["commonsnet", "inbox"]);

/**
 * Personal and shared inboxes. The shared key dispatcher makes Fedify sign the GETs it needs while
 * verifying an inbound activity (the sender's key): peers in authorized-fetch mode answer unsigned
 * fetches with 401 (stack-notes §8). Activity handlers are registered by the issues that need them.
 */
export function registerInbox(federation: Federation<FederationDeps>): void {
  federation
    .setInboxListeners(INBOX_PATH, SHARED_INBOX_PATH)
    .setSharedKeyDispatcher(() => NODE_IDENTITY)
    .onError((_ctx, error) => {
      logger.error("Inbox handler failed: {error}", { error });
    });
}
