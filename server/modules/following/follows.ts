import type { Db } from "../../db/database.ts";
import { DomainError, notFound } from "../../platform/errors.ts";
import { charterRefusal } from "../charter/charter.service.ts";
import { commitWithActivities } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import { type RemoteActor, type RemoteActorDraft, upsertRemoteActor } from "../remote-actors/index.ts";
import {
  deleteFollowing,
  type Following,
  findFollowingByFolloweeIri,
  findFollowingByFollowIri,
  findFollowingById,
  findFollowingByPair,
  findFollowingByTarget,
  insertPendingFollowing,
  markFollowingAccepted,
} from "./following.repository.ts";
import { acctOf, describeTarget, type FollowTarget } from "./following.schemas.ts";

/** The member who follows: their person actor. */
export interface Follower {
  readonly actorId: number;
  readonly handle: string;
}

/**
 * The outbox port of following (federation/following.ts): resolving a target with a GET signed by
 * the member, and translating Follow / Undo(Follow) to drafts. Modules never see vocab objects.
 */
export interface FollowingPort {
  /** The actor at a URL or handle on another server; null when there is none. */
  resolveActor(member: Follower, target: FollowTarget): Promise<RemoteActorDraft | null>;
  /** A `Follow` with a fresh id, to the followee's personal inbox. */
  buildFollow(member: Follower, followee: RemoteActor): Promise<{ readonly followIri: string; readonly draft: ActivityDraft }>;
  buildUndoFollow(member: Follower, following: Following): Promise<ActivityDraft>;
  /** Whether a target names this node (members follow remote actors only). */
  isLocal(target: FollowTarget): boolean;
}

export interface FollowResult {
  readonly following: Following;
  /** False when the member already followed (or asked to follow) the actor. */
  readonly created: boolean;
}

/**
 * A member follows an actor on another server: the actor is resolved and cached, and the pending
 * follow commits with its `Follow` (transactional outbox). It becomes accepted when the followee's
 * `Accept` arrives; until then the member sees nothing of it (docs/security.md#web, AUTHZ-09).
 */
export async function followRemoteActor(db: Db, member: Follower, target: FollowTarget, port: FollowingPort): Promise<FollowResult> {
  if (port.isLocal(target)) {
    throw new DomainError("invalid_input", "invalid_input", `${describeTarget(target)} is on this node: follow projects here from their page.`);
  }
  await refuseExcludedHost(db, target.kind === "url" ? target.url.host : target.host);
  const draft = await port.resolveActor(member, target);
  if (draft === null) throw new DomainError("invalid_input", "invalid_input", `No fediverse account found at ${describeTarget(target)}.`);
  await refuseExcludedHost(db, new URL(draft.iri).host);
  const followee = await upsertRemoteActor(db, draft);
  const existing = await findFollowingByPair(db, member.actorId, followee.id);
  if (existing !== undefined) return { following: existing, created: false };
  const { followIri, draft: follow } = await port.buildFollow(member, followee);
  const id = await commitWithActivities(db, async (trx, emit) => {
    const inserted = await insertPendingFollowing(trx, { localActorId: member.actorId, remoteActorId: followee.id, followIri });
    if (inserted !== null) await emit(follow);
    return inserted;
  });
  // A concurrent request for the same pair won the insert: report its follow.
  const following = id === null ? await findFollowingByPair(db, member.actorId, followee.id) : await findFollowingById(db, id);
  if (following === undefined) throw new DomainError("conflict", "conflict", "The follow changed while it was being made; try again.");
  return { following, created: id !== null };
}

/** The node's charter decides which servers members may follow on (modules/charter). */
async function refuseExcludedHost(db: Db, host: string): Promise<void> {
  const refusal = await charterRefusal(db, host.toLowerCase());
  if (refusal !== null) throw new DomainError("invalid_input", "refused_by_charter", refusal);
}

/** The member stops following (or withdraws the request): the row goes with an `Undo(Follow)`. */
export async function unfollowRemoteActor(db: Db, member: Follower, target: FollowTarget, port: FollowingPort): Promise<Following> {
  const found = await findFollowingByTarget(db, member.actorId, target.kind === "url" ? { url: target.url.href } : { acct: acctOf(target) });
  if (found === undefined) throw notFound(`You do not follow ${describeTarget(target)}.`);
  const undo = await port.buildUndoFollow(member, found);
  await commitWithActivities(db, async (trx, emit) => {
    if (await deleteFollowing(trx, found.id)) await emit(undo);
  });
  return found;
}

/**
 * The followee's `Accept` of our Follow (docs/security.md#web, AUTHZ-10): only the followed actor can
 * accept, and only the exact Follow we sent. Returns the follow when it became accepted.
 */
export async function acceptFollowing(db: Db, answered: AnsweredFollow): Promise<Following | undefined> {
  const following = await findAnsweredFollowing(db, answered);
  if (following === undefined) return undefined;
  return (await markFollowingAccepted(db, following.id)) ? { ...following, state: "accepted" } : undefined;
}

/** The followee's `Reject`: a pending request is refused, or an accepted follow removed (Mastodon's reject.rb). */
export async function rejectFollowing(db: Db, answered: AnsweredFollow): Promise<Following | undefined> {
  const following = await findAnsweredFollowing(db, answered);
  if (following === undefined) return undefined;
  return (await deleteFollowing(db, following.id)) ? following : undefined;
}

/** What an Accept or Reject says it answers, as Mastodon matches it (accept.rb, activity.rb). */
export interface AnsweredFollow {
  /** The verified actor of the Accept/Reject: it must be the followee. */
  readonly followeeIri: string;
  /** The Follow's id (the object, or the embedded Follow's id). */
  readonly followIri: string | null;
  /** With an embedded Follow whose id is not ours: its actor, when that is one of our members. */
  readonly localFollowerActorId?: number;
}

async function findAnsweredFollowing(db: Db, answered: AnsweredFollow): Promise<Following | undefined> {
  if (answered.followIri !== null) {
    const byId = await findFollowingByFollowIri(db, answered.followIri, answered.followeeIri);
    if (byId !== undefined) return byId;
  }
  if (answered.localFollowerActorId === undefined) return undefined;
  return await findFollowingByFolloweeIri(db, answered.localFollowerActorId, answered.followeeIri);
}
