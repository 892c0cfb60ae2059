import type { Context } from "@fedify/fedify";
import { type Activity, isActor } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { uuidv7 } from "../server/platform/ids.ts";
import type { Follower, Following, FollowingPort } from "../server/modules/following/index.ts";
import { acctOf, type FollowTarget } from "../server/modules/following/following.schemas.ts";
import type { ActivityDraft } from "../server/modules/outbox/index.ts";
import type { RemoteActor } from "../server/modules/remote-actors/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toMemberFollow, toMemberUndoFollow } from "./translate/member-follow.ts";
import { fromRemoteActor } from "./translate/remote-actor.ts";
import { followActivityPath } from "./uris.ts";

const logger = getLogger(["commonsnet", "following"]);

/**
 * The following port (server/modules/following/follows.ts): targets are looked up with Fedify
 * (WebFinger for handles, which always uses https, docs/stack.md#fedify; the URL itself otherwise) through
 * the node's limited loader, with GETs signed by the member (authorized-fetch peers, docs/mastodon.md#signatures).
 */
export function createFollowingPort(ctx: Context<FederationDeps>): FollowingPort {
  const origin = new URL(ctx.canonicalOrigin);

  const followRef = (member: Follower, followIri: string, followeeIri: string) => ({
    id: new URL(followIri),
    actor: ctx.getActorUri(member.handle),
    object: new URL(followeeIri),
  });
  const toDraft = async (member: Follower, followeeIri: string, inbox: string, activity: Activity): Promise<ActivityDraft> => ({
    sender: member.handle,
    // Mastodon delivers Follow and Undo(Follow) to the target's personal inbox (follow_service.rb).
    recipients: [{ id: followeeIri, inbox }],
    activity: (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>,
    orderingKey: `${ctx.getActorUri(member.handle).href} ${followeeIri}`,
  });

  return {
    isLocal: (target: FollowTarget) => (target.kind === "url" ? target.url.origin === origin.origin : target.host === origin.host),

    async resolveActor(member, target) {
      const identifier = target.kind === "url" ? target.url.href : `acct:${acctOf(target)}`;
      try {
        const documentLoader = await ctx.getDocumentLoader({ identifier: member.handle });
        const object = await ctx.lookupObject(identifier, { documentLoader, contextLoader: ctx.contextLoader });
        if (!isActor(object) || object.id === null || object.id.origin === origin.origin) return null;
        return await fromRemoteActor(object);
      } catch (error) {
        logger.info("Could not look up {identifier}: {error}", { identifier, error });
        return null;
      }
    },

    async buildFollow(member, followee: RemoteActor) {
      const followIri = new URL(followActivityPath(member.handle, uuidv7()), ctx.canonicalOrigin).href;
      const follow = toMemberFollow(followRef(member, followIri, followee.iri));
      return { followIri, draft: await toDraft(member, followee.iri, followee.inbox, follow) };
    },

    async buildUndoFollow(member, following: Following) {
      const undo = toMemberUndoFollow(followRef(member, following.followIri, following.target.iri));
      return await toDraft(member, following.target.iri, following.target.inbox, undo);
    },
  };
}
