import type { InboxContext } from "@fedify/fedify";
import type { Follow } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { buildFollowResponseDraft } from "../follow-responses.ts";
import { guardActivity } from "./guards.ts";
import { localActorOf } from "./local-objects.ts";
import { resolveRemoteActor } from "./remote-actors.ts";

const logger = getLogger(["commonsnet", "inbox", "follow"]);

/** A member pending approval or disabled has no public actor (federation/actors.ts), so takes no followers. */
async function isActiveMember(ctx: InboxContext<FederationDeps>, handle: string): Promise<boolean> {
  return (await ctx.data.services.accounts.profileByHandle(handle))?.status === "active";
}

/**
 * Inbound `Follow` of a project or a member (docs/mastodon.md#follows): the follower is cached and stored,
 * and an `Accept` signed by the followed actor goes to the follower's personal inbox, in the same
 * transaction. Mastodon's re-follows (new ids, refollow_worker.rb) are accepted again. A Follow of the node actor
 * is another node asking to connect (federation/inbox/node-follow.ts).
 */
export async function onFollow(ctx: InboxContext<FederationDeps>, follow: Follow): Promise<void> {
  const guarded = guardActivity(follow, logger);
  if (guarded === null) return;
  const followed = await localActorOf(ctx, follow.objectId);
  if (followed === undefined || (followed.kind === "person" && !(await isActiveMember(ctx, followed.handle)))) {
    logger.info("Ignored Follow {id} of {object}: not a local actor (or not an active member)", { id: guarded.id.href, object: follow.objectId?.href });
    return;
  }
  const follower = await resolveRemoteActor(ctx, guarded.actor);
  if (follower === null) {
    logger.info("Ignored Follow {id}: its actor {actor} could not be resolved", { id: guarded.id.href, actor: guarded.actor.href });
    return;
  }
  const input = { handle: followed.handle, followIri: guarded.id.href, followerIri: follower.iri, followerInbox: follower.inbox };
  const accept = await buildFollowResponseDraft(ctx, "accept", input);
  await ctx.data.services.followers.accept({ localActorId: followed.id, remoteActorId: follower.id, followIri: guarded.id.href }, accept);
  logger.info("{follower} follows {handle}", { follower: follower.handle, handle: followed.handle });
}
