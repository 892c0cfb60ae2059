import type { Federation, InboxContext } from "@fedify/fedify";
import { type Activity, Announce, Follow, Like, Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { NODE_IDENTITY } from "../actors.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { INBOX_PATH, SHARED_INBOX_PATH } from "../uris.ts";
import { type ActivityClass, createInboxDispatch, INBOX_ROUTES, routedTypes } from "./dispatch.ts";
import { rememberUndoneActivity, unlessUndone } from "./undone-activities.ts";
import { onUnverifiedActivity } from "./unverified.ts";

const logger = getLogger(["commonsnet", "inbox"]);

/** Activities an Undo may overtake on the way (federation/inbox/undone-activities.ts), whatever they are about. */
const UNDOABLE: ReadonlySet<ActivityClass> = new Set([Follow, Like, Announce]);

/**
 * Personal and shared inboxes. The shared key dispatcher makes Fedify sign the GETs it needs while
 * verifying an inbound activity (the sender's key): peers in authorized-fetch mode answer unsigned
 * fetches with 401 (docs/stack.md#fedify). Each activity type is registered once; what happens to it
 * is decided by the table in federation/inbox/dispatch.ts. Every Undo's id is remembered and every
 * undoable activity checked against them before routing, peering and directory traffic included.
 */
export function registerInbox(federation: Federation<FederationDeps>): void {
  const dispatch = createInboxDispatch(INBOX_ROUTES);
  const rememberingUndo = async (ctx: InboxContext<FederationDeps>, activity: Activity) => {
    if (activity instanceof Undo) await rememberUndoneActivity(ctx, activity);
    await dispatch(ctx, activity);
  };
  let listeners = federation.setInboxListeners(INBOX_PATH, SHARED_INBOX_PATH).setSharedKeyDispatcher(() => NODE_IDENTITY);
  for (const type of routedTypes(INBOX_ROUTES)) {
    listeners = listeners.on(type, type === Undo ? rememberingUndo : UNDOABLE.has(type) ? unlessUndone(dispatch) : dispatch);
  }
  listeners.onUnverifiedActivity(onUnverifiedActivity).onError((_ctx, error) => {
    logger.error("Inbox handler failed: {error}", { error });
  });
}
