import type { InboxContext } from "@fedify/fedify";
import type { Accept } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { answeredFollowOf } from "./answered-follow.ts";

const logger = getLogger(["commonsnet", "inbox", "accept"]);

/**
 * The followee's `Accept` of a member's Follow (app/lib/activitypub/activity/accept.rb): the pending follow becomes
 * accepted, and the followee's posts start reaching the member's timeline. Accepts from anyone but
 * the followee, or of a Follow we did not send, change nothing (docs/security.md#web, AUTHZ-10).
 */
export async function onAccept(ctx: InboxContext<FederationDeps>, accept: Accept): Promise<void> {
  const answered = await answeredFollowOf(ctx, accept, logger);
  if (answered === null) return;
  const following = await ctx.data.services.following.accepted(answered);
  if (following === undefined) {
    logger.info("Ignored Accept {id}: no pending Follow of ours from {actor} matches", { id: accept.id?.href, actor: answered.followeeIri });
    return;
  }
  logger.info("{followee} accepted Follow {follow}", { followee: following.target.handle, follow: following.followIri });
}
