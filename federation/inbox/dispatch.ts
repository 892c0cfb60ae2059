import type { InboxContext } from "@fedify/fedify";
import { Accept, type Activity, Announce, Create, Delete, Follow, Like, Reject, Undo, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { onAccept } from "./accept.ts";
import { onAnnounce } from "./announce.ts";
import { onCreate } from "./create.ts";
import { onDelete } from "./delete.ts";
import { onDesignFork } from "./design-fork.ts";
import { onDirectoryAnnounce, onDirectoryDelete, onDirectoryEntry } from "./directory.ts";
import { onFollow } from "./follow.ts";
import { onLike } from "./like.ts";
import { onMadeHere } from "./made-here.ts";
import { onNodeAccept, onNodeFollow, onNodeReject, onNodeUndo } from "./node-follow.ts";
import { onReject } from "./reject.ts";
import { classifyActivity, type Target, type TargetKind } from "./targets.ts";
import { onUndo } from "./undo.ts";
import { onUpdate } from "./update.ts";

const logger = getLogger(["commonsnet", "inbox"]);

/** An activity class, as Fedify's `on()` takes it. */
export type ActivityClass<A extends Activity = Activity> = new (...args: any[]) => A;

/** One row of the inbox table: an activity type, what it is about, and the one handler for that. */
export interface InboxRoute {
  readonly type: ActivityClass;
  readonly target: TargetKind;
  readonly handle: (ctx: InboxContext<FederationDeps>, activity: Activity, target: Target) => Promise<void>;
}

/** A typed row: the handler gets the activity's own class and the target with what it carries (a peer). */
export function route<A extends Activity, K extends TargetKind>(
  type: ActivityClass<A>,
  target: K,
  handle: (ctx: InboxContext<FederationDeps>, activity: A, target: Extract<Target, { kind: K }>) => Promise<void>,
): InboxRoute {
  // Sound because dispatch calls a row only for an instance of `type` classified as `target`.
  return { type, target, handle: handle as InboxRoute["handle"] };
}

/**
 * Every inbound activity we act on (federation/inbox/targets.ts says what each target kind means). A
 * new domain adds rows here, not another "mine, else fall through" check inside the handlers.
 */
export const INBOX_ROUTES: readonly InboxRoute[] = [
  route(Create, "content", onCreate),
  route(Create, "directory", (ctx, create, { peer }) => onDirectoryEntry(ctx, create, peer)),
  route(Create, "design-fork", onDesignFork),
  route(Update, "content", onUpdate),
  route(Update, "directory", (ctx, update, { peer }) => onDirectoryEntry(ctx, update, peer)),
  route(Delete, "content", onDelete),
  route(Delete, "directory", (ctx, del, { peer }) => onDirectoryDelete(ctx, del, peer)),
  route(Announce, "content", onAnnounce),
  route(Announce, "directory", (ctx, announce, { peer }) => onDirectoryAnnounce(ctx, announce, peer)),
  route(Like, "content", onLike),
  route(Follow, "local-actor", onFollow),
  route(Follow, "node-actor", onNodeFollow),
  route(Accept, "local-actor", onAccept),
  route(Accept, "peering", (ctx, accept, { peer }) => onNodeAccept(ctx, accept, peer)),
  route(Reject, "local-actor", onReject),
  route(Reject, "peering", (ctx, reject, { peer }) => onNodeReject(ctx, reject, peer)),
  route(Undo, "local-actor", onUndo),
  route(Undo, "peering", (ctx, undo, { peer }) => onNodeUndo(ctx, undo, peer)),
  route(Create, "made-here", onMadeHere),
];

/** The activity types a table answers, each once (what the inbox registers with Fedify). */
export function routedTypes(routes: readonly InboxRoute[]): ActivityClass[] {
  return [...new Set(routes.map((r) => r.type))];
}

/**
 * The one inbox listener: classify the activity once, then run the row for its type and target. A
 * combination without a row is ignored with a log line (a remote peer's odd input is never an error).
 */
export function createInboxDispatch(routes: readonly InboxRoute[]): (ctx: InboxContext<FederationDeps>, activity: Activity) => Promise<void> {
  return async (ctx, activity) => {
    const target = await classifyActivity(ctx, activity);
    const row = routes.find((r) => activity instanceof r.type && r.target === target.kind);
    if (row === undefined) {
      logger.info("Ignored {type} {id}: nothing handles a {type} about {target}", { type: activity.constructor.name, id: activity.id?.href, target: target.kind });
      return;
    }
    await row.handle(ctx, activity, target);
  };
}
