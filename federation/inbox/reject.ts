import type { InboxContext } from "@fedify/fedify";
import type { Reject } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { answeredFollowOf } from "./answered-follow.ts";

const logger = getLogger(["commonsnet", "inbox", "reject"]);

/**
 * The followee's `Reject` of a member's Follow (app/lib/activitypub/activity/reject.rb): a pending request is refused,
 * and an accepted follow ends (the followee removed the member from its followers). Only the
 * followee can reject, and only a Follow we sent (docs/security.md#web, AUTHZ-10).
 */
export async function onReject(ctx: InboxContext<FederationDeps>, reject: Reject): Promise<void> {
  const answered = await answeredFollowOf(ctx, reject, logger);
  if (answered === null) return;
  const following = await ctx.data.services.following.rejected(answered);
  if (following === undefined) {
    logger.info("Ignored Reject {id}: no Follow of ours to {actor} matches", { id: reject.id?.href, actor: answered.followeeIri });
    return;
  }
  logger.info("{followee} rejected Follow {follow}", { followee: following.target.handle, follow: following.followIri });
}
