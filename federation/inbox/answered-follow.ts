import { type DocumentLoader, FetchError, type InboxContext } from "@fedify/fedify";
import { type Accept, Follow, type Reject } from "@fedify/vocab";
import type { Logger } from "@logtape/logtape";
import type { AnsweredFollow } from "../../server/modules/following/follows.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { guardActivity, sameIri } from "./guards.ts";
import { localActorOf } from "./local-objects.ts";

/** The answered Follow is ours: it is matched in our database, never fetched. */
const noFetch: DocumentLoader = (url) => Promise.reject(new FetchError(url, "The answered Follow is not fetched"));

/**
 * What an `Accept` or `Reject` answers, as Mastodon matches it (accept.rb, activity.rb): the Follow's
 * id (given as the object, or as the embedded Follow's id), or, for an embedded Follow with another
 * id, its actor when that is one of our members and its object is the answering actor. The answer
 * only counts when that actor is the followee (checked against the stored follow; docs/security.md#web,
 * AUTHZ-10). Returns null (and logs) when there is nothing to match.
 */
export async function answeredFollowOf(
  ctx: InboxContext<FederationDeps>,
  answer: Accept | Reject,
  logger: Logger,
): Promise<AnsweredFollow | null> {
  const guarded = guardActivity(answer, logger);
  if (guarded === null) return null;
  const followIri = answer.objectId?.href ?? null;
  const embedded = await answer.getObject({ documentLoader: noFetch, contextLoader: ctx.contextLoader, crossOrigin: "trust", suppressError: true }).catch(() => null);
  if (!(embedded instanceof Follow) || !sameIri(embedded.objectId, guarded.actor)) {
    if (followIri === null) logger.info("Ignored {id}: it names no Follow", { id: guarded.id.href });
    return followIri === null ? null : { followeeIri: guarded.actor.href, followIri };
  }
  const follower = await localActorOf(ctx, embedded.actorId);
  return {
    followeeIri: guarded.actor.href,
    followIri,
    ...(follower?.kind === "person" && { localFollowerActorId: follower.id }),
  };
}
