import { FetchError, type RequestContext, type UnverifiedActivityReason } from "@fedify/fedify";
import { type Activity, Delete } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { NODE_IDENTITY } from "../actors.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { isTransient } from "./remote-actors.ts";
import { withoutFragment } from "./signing-keys.ts";

const logger = getLogger(["commonsnet", "inbox", "unverified"]);

/**
 * Activities whose signature Fedify could not verify. Two cases differ from its default 401:
 * - the signer's key could not be fetched for a transient reason (5xx, timeout, unreachable): 503,
 *   so the sender retries instead of treating it as refused (docs/security.md#inbox-limits, SIG-09);
 * - a `Delete` of an actor by itself whose key is gone (410, docs/security.md#inbox-limits, SIG-10): the actor is
 *   forgotten once we confirmed, by fetching it ourselves, that it is gone, and the answer is 202 so
 *   the sender stops retrying.
 */
export async function onUnverifiedActivity(ctx: RequestContext<FederationDeps>, activity: Activity, reason: UnverifiedActivityReason): Promise<Response | void> {
  if (reason.type !== "keyFetchError") return;
  const status = "status" in reason.result ? reason.result.status : undefined;
  const actor = activity.actorId;
  if (activity instanceof Delete && actor !== null && activity.objectId?.href === actor.href && (status === 410 || status === 404)) {
    if (withoutFragment(reason.keyId.href) === actor.href && (await isGone(ctx, actor))) {
      const deleted = await ctx.data.services.remoteActors.delete(actor.href);
      logger.info("{actor}, gone, deleted itself: {deleted}", { actor: actor.href, deleted: deleted ?? "unknown actor" });
      return new Response(null, { status: 202 });
    }
    return;
  }
  if ("error" in reason.result ? isTransient(reason.result.error) : status !== undefined && (status >= 500 || status === 429 || status === 408)) {
    logger.warning("Could not fetch the key {keyId} (temporarily?); answered 503", { keyId: reason.keyId.href });
    return new Response("Could not fetch the signing key; try again later.", { status: 503, headers: { "Retry-After": "300" } });
  }
}

async function isGone(ctx: RequestContext<FederationDeps>, actor: URL): Promise<boolean> {
  try {
    await (await ctx.getDocumentLoader(NODE_IDENTITY))(actor.href);
    return false;
  } catch (error) {
    const status = error instanceof FetchError ? error.response?.status : undefined;
    return status === 410 || status === 404;
  }
}
