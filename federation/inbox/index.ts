import type { Federation } from "@fedify/fedify";
import { Accept, Announce, Create, Delete, Follow, Like, Reject, Undo, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { NODE_IDENTITY } from "../actors.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { INBOX_PATH, SHARED_INBOX_PATH } from "../uris.ts";
import { onAccept } from "./accept.ts";
import { onAnnounce } from "./announce.ts";
import { onCreate } from "./create.ts";
import { onDelete } from "./delete.ts";
import { onFollow } from "./follow.ts";
import { onLike } from "./like.ts";
import { onReject } from "./reject.ts";
import { onUndo } from "./undo.ts";
import { unlessUndone } from "./undone-activities.ts";
import { onUnverifiedActivity } from "./unverified.ts";
import { onUpdate } from "./update.ts";

const logger = getLogger(["commonsnet", "inbox"]);

/**
 * Personal and shared inboxes. The shared key dispatcher makes Fedify sign the GETs it needs while
 * verifying an inbound activity (the sender's key): peers in authorized-fetch mode answer unsigned
 * fetches with 401 (docs/stack.md#fedify). Activity handlers are registered by the issues that need them.
 */
export function registerInbox(federation: Federation<FederationDeps>): void {
  federation
    .setInboxListeners(INBOX_PATH, SHARED_INBOX_PATH)
    .setSharedKeyDispatcher(() => NODE_IDENTITY)
    .on(Follow, unlessUndone(onFollow))
    .on(Undo, onUndo)
    .on(Like, unlessUndone(onLike))
    .on(Announce, unlessUndone(onAnnounce))
    .on(Delete, onDelete)
    .on(Update, onUpdate)
    .on(Create, onCreate)
    .on(Accept, onAccept)
    .on(Reject, onReject)
    .onUnverifiedActivity(onUnverifiedActivity)
    .onError((_ctx, error) => {
      logger.error("Inbox handler failed: {error}", { error });
    });
}
