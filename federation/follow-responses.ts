import type { Context } from "@fedify/fedify";
import { uuidv7 } from "../server/platform/ids.ts";
import type { FollowersPort } from "../server/modules/followers/index.ts";
import type { ActivityDraft } from "../server/modules/outbox/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { type FollowRef, toFollowResponse } from "./translate/follow.ts";
import { followResponseActivityPath } from "./uris.ts";

export interface FollowResponseInput {
  /** Handle of the followed local actor, which signs the answer. */
  readonly handle: string;
  readonly followIri: string;
  readonly followerIri: string;
  /** The follower's personal inbox: Accept and Reject never go to a shared inbox (docs/mastodon.md#follows). */
  readonly followerInbox: string;
}

/** The outbox draft of an `Accept` or `Reject` of a Follow, with a fresh id. */
export async function buildFollowResponseDraft(
  ctx: Context<FederationDeps>,
  kind: "accept" | "reject",
  input: FollowResponseInput,
): Promise<ActivityDraft> {
  const localActor = ctx.getActorUri(input.handle);
  const follow: FollowRef = { id: new URL(input.followIri), actor: new URL(input.followerIri), object: localActor };
  const path = followResponseActivityPath(input.handle, kind === "accept" ? "accepts" : "rejects", uuidv7());
  const activity = toFollowResponse(kind, new URL(path, ctx.canonicalOrigin), follow);
  const json = (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
  return {
    sender: input.handle,
    recipients: [{ id: input.followerIri, inbox: input.followerInbox }],
    activity: json,
    orderingKey: `${localActor.href} ${input.followerIri}`,
  };
}

/** The followers port (server/modules/followers/follows.ts): a removed follower's Follow is rejected. */
export function createFollowersPort(ctx: Context<FederationDeps>): FollowersPort {
  return {
    rejectFollow: (followedHandle, follower) =>
      buildFollowResponseDraft(ctx, "reject", { handle: followedHandle, followIri: follower.followIri, followerIri: follower.iri, followerInbox: follower.inbox }),
  };
}
