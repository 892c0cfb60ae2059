import type { Context } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { uuidv7 } from "../../server/platform/ids.ts";
import { NODE_ACTOR_HANDLE } from "../../server/modules/actors/handle.schema.ts";
import { hostOf } from "../../server/modules/charter/peer-policy.ts";
import type { ActivityDraft } from "../../server/modules/outbox/index.ts";
import type { Peer, PeerDraft } from "../../server/modules/peers/index.ts";
import type { PeeringPort } from "../../server/modules/peers/peering.ts";
import type { RemoteActor } from "../../server/modules/remote-actors/index.ts";
import { stripBidiControls } from "../../server/modules/remote-actors/remote-actor.schema.ts";
import { fetchPolicyFor } from "../document-loader.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { buildFollowResponseDraft } from "../follow-responses.ts";
import { fetchRemoteActor, storeRemoteActor } from "../inbox/remote-actors.ts";
import { toMemberFollow, toMemberUndoFollow } from "../translate/member-follow.ts";
import { followActivityPath } from "../uris.ts";
import { discoverNode, NodeDiscoveryError } from "./node-discovery.ts";

/**
 * The node actor's side of peering as outbox drafts: its `Follow` of another node actor (to that
 * actor's personal inbox, as Mastodon delivers follows), the `Undo`, and the `Accept`/`Reject` of a
 * Follow of ours (signed by the node actor, like any followed actor's answer).
 */
export function createPeeringPort(ctx: Context<FederationDeps>): PeeringPort {
  const nodeActor = ctx.getActorUri(NODE_ACTOR_HANDLE);
  const toDraft = async (peer: Peer, activity: Activity): Promise<ActivityDraft> => ({
    sender: NODE_ACTOR_HANDLE,
    recipients: [{ id: peer.actorIri, inbox: peer.inbox }],
    activity: (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>,
    orderingKey: `${nodeActor.href} ${peer.actorIri}`,
  });
  const ref = (peer: Peer, followIri: string) => ({ id: new URL(followIri), actor: nodeActor, object: new URL(peer.actorIri) });
  return {
    async buildFollow(peer) {
      const followIri = new URL(followActivityPath(NODE_ACTOR_HANDLE, uuidv7()), ctx.canonicalOrigin).href;
      return { followIri, draft: await toDraft(peer, toMemberFollow(ref(peer, followIri))) };
    },
    buildUndoFollow: async (peer, followIri) => await toDraft(peer, toMemberUndoFollow(ref(peer, followIri))),
    buildFollowResponse: async (kind, peer: PeerDraft, followIri) =>
      await buildFollowResponseDraft(ctx, kind, { handle: NODE_ACTOR_HANDLE, followIri, followerIri: peer.actorIri, followerInbox: peer.inbox }),
  };
}

/** A remote node actor as a peer: its host, inboxes and display name (NodeInfo's or the actor's, without bidi controls). */
export function peerDraftOf(actor: RemoteActor, name?: string | null): PeerDraft {
  return { host: hostOf(actor.iri), actorIri: actor.iri, inbox: actor.inbox, sharedInbox: actor.sharedInbox, name: stripBidiControls(name || actor.name).slice(0, 200) };
}

/**
 * Resolves the node at an address an admin typed: its NodeInfo names its node actor, which is then
 * fetched with a GET signed by our node actor and cached like any remote actor. Errors carry a
 * message for the admin (NodeDiscoveryError).
 */
export async function resolveNodeAt(ctx: Context<FederationDeps>, address: URL): Promise<PeerDraft> {
  if (address.origin === new URL(ctx.canonicalOrigin).origin) throw new NodeDiscoveryError("That is this node's own address.");
  const discovered = await discoverNode(address, fetchPolicyFor(ctx.data.config));
  let actor;
  try {
    actor = await fetchRemoteActor(ctx, discovered.actor);
  } catch {
    throw new NodeDiscoveryError(`Could not fetch the node actor ${discovered.actor.href}; try again later.`, true);
  }
  const stored = actor === null ? null : await storeRemoteActor(ctx, actor);
  if (stored === null) throw new NodeDiscoveryError(`${discovered.actor.href} is not a usable actor (no inbox on its own host).`);
  return peerDraftOf(stored, discovered.name);
}

/**
 * Whether an actor that follows our node actor is the node actor of its host, as that host's
 * NodeInfo says: people and projects do not peer. Transient failures are thrown (the Follow is retried).
 */
export async function isNodeActor(ctx: Context<FederationDeps>, actorIri: string): Promise<boolean> {
  try {
    const discovered = await discoverNode(new URL(new URL(actorIri).origin), fetchPolicyFor(ctx.data.config));
    return discovered.actor.href === actorIri;
  } catch (error) {
    if (error instanceof NodeDiscoveryError && !error.transient) return false;
    throw error;
  }
}
