import { type Context, type DocumentLoader, FetchError } from "@fedify/fedify";
import { Accept, type Activity, Announce, Create, Delete, Follow, Page, Reject, Service, Undo, Update } from "@fedify/vocab";
import { NODE_ACTOR_HANDLE } from "../../server/modules/actors/handle.schema.ts";
import type { Peer } from "../../server/modules/peers/index.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { followActivityPath } from "../uris.ts";
import { sameIri } from "./guards.ts";
import { isMadeHereCreate } from "./made-here.ts";

/**
 * What an inbound activity is about, decided once per activity (federation/inbox/dispatch.ts routes
 * on it):
 * - `content`: posts, profiles and boosts from remote accounts (Create, Update, Delete, Announce, Like);
 * - `directory`: directory traffic from a peer node's actor (Create/Update of an entry `Page`, Delete of
 *   an entry, Announce of a forwarded entry), with the peer it comes from;
 * - `local-actor`: a Follow of one of our projects or members, or an answer to or Undo of such a Follow;
 * - `node-actor`: a Follow of our node actor, i.e. another node asking to connect;
 * - `peering`: a peer's Accept or Reject of our node actor's Follow, or its Undo of its Follow of our
 *   node actor, with that peer;
 * - `design-fork`: a `Create` of a design (`Service`) made as a fork of one of ours, on another node;
 * - `made-here`: a Create of a "made here" report (a ValueFlows EconomicEvent), federation/inbox/made-here.ts.
 */
export type Target =
  | { readonly kind: "content" }
  | { readonly kind: "directory"; readonly peer: Peer }
  | { readonly kind: "local-actor" }
  | { readonly kind: "node-actor" }
  | { readonly kind: "peering"; readonly peer: Peer }
  | { readonly kind: "design-fork" }
  | { readonly kind: "made-here" };

export type TargetKind = Target["kind"];

const CONTENT: Target = { kind: "content" };
const LOCAL_ACTOR: Target = { kind: "local-actor" };
const NODE_ACTOR: Target = { kind: "node-actor" };
const DESIGN_FORK: Target = { kind: "design-fork" };
const MADE_HERE: Target = { kind: "made-here" };

/** Only what is embedded is looked at here: classifying never fetches. */
const noFetch: DocumentLoader = (url) => Promise.reject(new FetchError(url, "Not fetched while classifying"));

/**
 * Decides the target from the activity itself where it can (whose IRI the object is, what type an
 * embedded object has) and reads the peers table only where it cannot, at most once. Activities the
 * handlers' guards will ignore anyway (no id, no actor, id off the actor's origin) are never looked up.
 */
export async function classifyActivity(ctx: Context<FederationDeps>, activity: Activity): Promise<Target> {
  if (activity instanceof Follow) return sameIri(activity.objectId, ctx.getActorUri(NODE_ACTOR_HANDLE)) ? NODE_ACTOR : LOCAL_ACTOR;
  if (activity instanceof Accept || activity instanceof Reject) return await classifyAnswer(ctx, activity);
  if (activity instanceof Undo) return await classifyUndo(ctx, activity);
  if (activity instanceof Create && (await isMadeHereCreate(activity))) return MADE_HERE;
  if (activity instanceof Create || activity instanceof Update || activity instanceof Delete || activity instanceof Announce) {
    return await classifyPublished(ctx, activity);
  }
  return CONTENT;
}

/** The actor, when the activity passes the handlers' id/actor guard (federation/inbox/guards.ts). */
function signerOf(activity: Activity): URL | null {
  const { id, actorId } = activity;
  return id !== null && actorId !== null && id.origin === actorId.origin ? actorId : null;
}

/**
 * Directory traffic is sent only by a peer's node actor, and never about that actor itself (its own
 * profile Update or Delete is content). An Announce of one of our IRIs is a boost of our note: as
 * directory traffic it could only be our own entry forwarded back, which takeForwardedEntry drops
 * (federation/peering/directory-intake.ts). A Create or Update with an embedded object other than a
 * `Page` (a Note, an actor) is content too; only a `Page`, or an object given by IRI alone, needs the
 * peers table.
 */
async function classifyPublished(ctx: Context<FederationDeps>, activity: Create | Update | Delete | Announce): Promise<Target> {
  const actor = signerOf(activity);
  const object = activity.objectId;
  if (actor === null || object === null) return CONTENT;
  // A design announcing itself as a fork: its Create's object is the design actor (often the sender).
  if (activity instanceof Create && (await embeddedObject(ctx, activity)) instanceof Service) return DESIGN_FORK;
  if (object.href === actor.href) return CONTENT;
  if (activity instanceof Announce && object.origin === new URL(ctx.canonicalOrigin).origin) return CONTENT;
  if (activity instanceof Create || activity instanceof Update) {
    const embedded = await embeddedObject(ctx, activity);
    if (embedded !== null && !(embedded instanceof Page)) return CONTENT;
  }
  const peer = await ctx.data.services.peers.byActorIri(actor.href);
  return peer === undefined ? CONTENT : { kind: "directory", peer };
}

async function embeddedObject(ctx: Context<FederationDeps>, activity: Create | Update) {
  return await activity.getObject({ documentLoader: noFetch, contextLoader: ctx.contextLoader, crossOrigin: "trust", suppressError: true }).catch(() => null);
}

/**
 * An Accept or Reject answers our node actor's Follow when it names that Follow (our node actor's
 * Follow ids are minted as `<node actor>#follows/<id>`, federation/peering/peering-port.ts) or embeds a
 * Follow by our node actor of the answering actor; and only when the sender is a peer we follow or
 * asked to follow. Anything else answers a member's Follow.
 */
async function classifyAnswer(ctx: Context<FederationDeps>, answer: Accept | Reject): Promise<Target> {
  const actor = signerOf(answer);
  if (actor === null) return LOCAL_ACTOR;
  const nodeActor = ctx.getActorUri(NODE_ACTOR_HANDLE);
  const nodeFollowPrefix = new URL(followActivityPath(NODE_ACTOR_HANDLE, ""), ctx.canonicalOrigin).href;
  const namesNodeFollow = answer.objectId?.href.startsWith(nodeFollowPrefix) ?? false;
  const embedded = await answer.getObject({ documentLoader: noFetch, contextLoader: ctx.contextLoader, crossOrigin: "trust", suppressError: true }).catch(() => null);
  const embedsNodeFollow = embedded instanceof Follow && sameIri(embedded.actorId, nodeActor) && sameIri(embedded.objectId, actor);
  if (!namesNodeFollow && !embedsNodeFollow) return LOCAL_ACTOR;
  const peer = await ctx.data.services.peers.byActorIri(actor.href);
  if (peer === undefined || peer.ourFollowIri === null) return LOCAL_ACTOR;
  return answer.objectId?.href === peer.ourFollowIri || embedsNodeFollow ? { kind: "peering", peer } : LOCAL_ACTOR;
}

/**
 * An Undo withdraws a peer's Follow of our node actor when it names the Follow the peer sent us, or
 * embeds a Follow by the sender of our node actor. An embedded Like, Announce or Follow of someone
 * else says by itself that it is about a member or project; only an Undo naming its activity by IRI
 * alone needs the peers table.
 */
async function classifyUndo(ctx: Context<FederationDeps>, undo: Undo): Promise<Target> {
  const actor = signerOf(undo);
  const object = undo.objectId;
  if (actor === null || object === null) return LOCAL_ACTOR;
  const inner = await undo.getObject({ documentLoader: noFetch, contextLoader: ctx.contextLoader, suppressError: true }).catch(() => null);
  const undoesNodeFollow = inner instanceof Follow && sameIri(inner.actorId, actor) && sameIri(inner.objectId, ctx.getActorUri(NODE_ACTOR_HANDLE));
  if (inner !== null && !undoesNodeFollow) return LOCAL_ACTOR;
  const peer = await ctx.data.services.peers.byActorIri(actor.href);
  if (peer === undefined || peer.theyFollow === "none") return LOCAL_ACTOR;
  return object.href === peer.theirFollowIri || undoesNodeFollow ? { kind: "peering", peer } : LOCAL_ACTOR;
}
