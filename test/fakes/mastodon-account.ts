import { randomUUID } from "node:crypto";
import { buildActivity, ldSign, plainTextToHtml, rubyIso, snowflake, type TemplateName } from "./mastodon-activities.ts";
import { AS, ACTOR_CONTEXT, type AccountInfo, personDocument, rubyJson } from "./mastodon-documents.ts";
import { FetchRefused, fetchResource, type HttpOptions, mastodonPost, type PostOptions, type RawResponse, type Signer, signedGet } from "./mastodon-http.ts";
import { actorDocumentProblems, asArray, idOf } from "./mastodon-rules.ts";

/**
 * Alice on the fake Mastodon: what she sends (fixtures F3–F10, to the inboxes Mastodon picks, docs/mastodon.md#replies),
 * what her server remembers (follow requests, likes, boosts, statuses), and how it treats the
 * Accept/Reject of her follows (accept.rb, reject.rb). Remote actors and notes are resolved with GETs signed by the
 * instance actor and must pass Mastodon's checks (fetch_remote_actor_service.rb), as Mastodon would have resolved them first.
 */

export interface RemoteActor {
  readonly id: string;
  readonly type: string;
  readonly inbox: string;
  readonly sharedInbox: string | undefined;
  readonly followers: string | undefined;
  readonly url: string;
  readonly username: string;
  readonly acct: string;
}

export interface SendResult {
  readonly status: number;
  readonly text: string;
  readonly inbox: string;
  readonly activity: Record<string, unknown>;
}

export interface ReplyResult {
  /** The status URI (the Note's id). */
  readonly uri: string;
  readonly activity: Record<string, unknown>;
  readonly results: readonly SendResult[];
}

export type { PostOptions };

export type FollowState = "none" | "requested" | "accepted" | "rejected";

export interface MastodonAccount {
  readonly actorId: string;
  readonly keyId: string;
  readonly signer: Signer;
  readonly info: AccountInfo;
  follow(target: string): Promise<SendResult>;
  undoFollow(target: string): Promise<SendResult>;
  followState(target: string): FollowState;
  like(note: string): Promise<SendResult>;
  undoLike(note: string): Promise<SendResult>;
  announce(note: string): Promise<SendResult>;
  undoAnnounce(note: string): Promise<SendResult>;
  /** A public reply to `note` mentioning `group`; `html` replaces the escaped text (a hostile server). */
  reply(note: string, group: string, text: string, options?: { html?: string }): Promise<ReplyResult>;
  editReply(status: string, text: string, options?: { html?: string }): Promise<ReplyResult>;
  deleteReply(status: string): Promise<ReplyResult>;
  updateProfile(changes: { displayName?: string; summaryHtml?: string }): Promise<readonly SendResult[]>;
  /** GET as Mastodon fetches a document (signed by the instance actor unless `signer` is given). */
  fetchObject(iri: string, options?: { accept?: string; signer?: Signer }): Promise<RawResponse & { json: Record<string, unknown> | undefined }>;
  resolveActor(iri: string): Promise<RemoteActor>;
  /** A raw POST of `body` (an object is encoded as Mastodon does), signed as Mastodon signs unless told otherwise. */
  post(inbox: string, body: unknown, options?: PostOptions): Promise<SendResult>;
  /** @internal the fake server serves Alice's statuses and collections through this. */
  document(url: string): Record<string, unknown> | undefined;
  /** @internal Accept/Reject of Alice's follows. */
  process(activity: Record<string, unknown>): void;
  /** @internal actors Alice follows (for Mastodon's "related to local activity" rule). */
  followedActors(): ReadonlySet<string>;
}

interface Status {
  vars: Record<string, unknown>;
  object: Record<string, unknown>;
  context: unknown;
  inboxes: string[];
  deleted: boolean;
  lastSecond: number;
}

export interface AccountDeps {
  readonly info: AccountInfo;
  readonly signer: Signer;
  readonly instanceSigner: Signer;
  readonly http: HttpOptions;
}

/** Mastodon LD-signs Create/Announce of public statuses, Update of actors, and always Delete and Undo{Announce} (payloadable.rb). */
const LD_SIGNED: ReadonlySet<TemplateName> = new Set(["announce", "undo-announce", "create-reply", "update-reply", "delete-note", "update-person"]);

export function createMastodonAccount(deps: AccountDeps): MastodonAccount {
  let info = deps.info;
  const { origin, id: actorId, username } = info;
  const follows = new Map<string, { id: string; row: number; state: FollowState }>();
  const likes = new Map<string, number>();
  const boosts = new Map<string, { statusId: string; published: string; author: string; inbox: string }>();
  const statuses = new Map<string, Status>();
  const actors = new Map<string, RemoteActor>();
  let sequence = 1;
  const nextRow = () => 3141592 + sequence++;
  const nextStatusId = () => snowflake(Date.now(), sequence++);

  async function resolveActor(iri: string): Promise<RemoteActor> {
    const cached = actors.get(iri);
    if (cached !== undefined) return cached;
    const doc = await fetchResource(iri, deps.instanceSigner, deps.http);
    const problems = actorDocumentProblems(doc, iri);
    if (problems.length > 0) throw new FetchRefused(`Mastodon would refuse actor ${iri}: ${problems.join("; ")}`);
    const endpoints = (doc.endpoints ?? {}) as Record<string, unknown>;
    const username = String(doc.preferredUsername);
    const actor: RemoteActor = {
      id: iri,
      type: String(asArray(doc.type)[0]),
      inbox: idOf(asArray(doc.inbox)[0])!,
      sharedInbox: typeof endpoints.sharedInbox === "string" ? endpoints.sharedInbox : undefined,
      followers: idOf(asArray(doc.followers)[0]),
      url: typeof doc.url === "string" ? doc.url : iri,
      username,
      acct: `${username}@${new URL(iri).host}`,
    };
    actors.set(iri, actor);
    return actor;
  }

  /** FetchRemoteStatusService: the note's author is first(attributedTo), on the note's host (fetch_remote_status_service.rb). */
  async function resolveNote(iri: string): Promise<{ note: Record<string, unknown>; author: RemoteActor }> {
    const note = await fetchResource(iri, deps.instanceSigner, deps.http);
    const authorId = idOf(asArray(note.attributedTo)[0]);
    if (authorId === undefined || new URL(authorId).host !== new URL(iri).host) throw new FetchRefused(`note ${iri} has no same-host attributedTo`);
    return { note, author: await resolveActor(authorId) };
  }

  async function post(inbox: string, body: unknown, options: PostOptions = {}): Promise<SendResult> {
    const bytes = Buffer.from(typeof body === "string" ? body : rubyJson(body), "utf8");
    const response = await mastodonPost(new URL(inbox), bytes, options.signer ?? deps.signer, deps.http, options);
    const activity = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    return { status: response.status, text: response.body.toString("utf8"), inbox, activity };
  }

  async function send(name: TemplateName, vars: Record<string, unknown>, inboxes: readonly string[]): Promise<{ activity: Record<string, unknown>; results: SendResult[] }> {
    let activity = buildActivity(name, { ORIGIN: origin, ACTOR: actorId, USERNAME: username, ...vars });
    if (LD_SIGNED.has(name)) activity = await ldSign(activity, deps.signer.privateKey, `${actorId}#main-key`);
    const results: SendResult[] = [];
    for (const inbox of new Set(inboxes)) results.push(await post(inbox, activity));
    return { activity, results };
  }

  const preferred = (actor: RemoteActor) => actor.sharedInbox ?? actor.inbox;
  const only = async (p: Promise<{ results: SendResult[] }>) => (await p).results[0]!;

  function statusOf(uri: string): Status {
    const status = statuses.get(uri);
    if (status === undefined || status.deleted) throw new Error(`Alice has no status ${uri}`);
    return status;
  }

  function textVars(text: string, options?: { html?: string }) {
    return { TEXT: options?.html ?? plainTextToHtml(text) };
  }

  return {
    actorId,
    keyId: `${actorId}#main-key`,
    signer: deps.signer,
    get info() {
      return info;
    },
    async follow(target) {
      const actor = await resolveActor(target);
      const uuid = randomUUID();
      follows.set(actor.id, { id: `${origin}/${uuid}`, row: nextRow(), state: "requested" });
      return await only(send("follow", { UUID: uuid, TARGET: actor.id }, [actor.inbox]));
    },
    async undoFollow(target) {
      const follow = follows.get(target);
      if (follow === undefined) throw new Error(`Alice does not follow ${target}`);
      const actor = await resolveActor(target);
      follows.delete(target);
      return await only(send("undo-follow", { FOLLOW_ROW: follow.row, FOLLOW_ID: follow.id, TARGET: actor.id }, [actor.inbox]));
    },
    followState: (target) => follows.get(target)?.state ?? "none",
    async like(note) {
      const { author } = await resolveNote(note);
      const row = nextRow();
      likes.set(note, row);
      return await only(send("like", { LIKE_ROW: row, NOTE: note }, [author.inbox]));
    },
    async undoLike(note) {
      const row = likes.get(note);
      if (row === undefined) throw new Error(`Alice has not liked ${note}`);
      const { author } = await resolveNote(note);
      likes.delete(note);
      return await only(send("undo-like", { LIKE_ROW: row, NOTE: note }, [author.inbox]));
    },
    async announce(note) {
      const { author } = await resolveNote(note);
      const boost = { statusId: nextStatusId(), published: rubyIso(new Date()), author: author.id, inbox: preferred(author) };
      boosts.set(note, boost);
      return await only(send("announce", { STATUS_ID: boost.statusId, PUBLISHED: boost.published, AUTHOR: boost.author, NOTE: note }, [boost.inbox]));
    },
    async undoAnnounce(note) {
      const boost = boosts.get(note);
      if (boost === undefined) throw new Error(`Alice has not boosted ${note}`);
      boosts.delete(note);
      return await only(send("undo-announce", { STATUS_ID: boost.statusId, PUBLISHED: boost.published, AUTHOR: boost.author, NOTE: note }, [boost.inbox]));
    },
    async reply(noteIri, groupIri, text, options) {
      const { note, author } = await resolveNote(noteIri);
      const group = await resolveActor(groupIri);
      const statusId = nextStatusId();
      const status = `${actorId}/statuses/${statusId}`;
      const published = new Date();
      const conversation = idOf(note.conversation) ?? idOf(note.context) ?? `${origin}/contexts/${snowflake(Date.now(), 1)}-${statusId}`;
      const vars = {
        STATUS: status,
        STATUS_ID: statusId,
        NOTE: noteIri,
        PUBLISHED: rubyIso(published),
        GROUP: group.id,
        GROUP_FOLLOWERS: group.followers ?? `${group.id}/followers`,
        GROUP_URL: group.url,
        GROUP_USERNAME: group.username,
        GROUP_ACCT: group.acct,
        CONVERSATION: conversation,
        ...textVars(text, options),
      };
      const inboxes = [preferred(group), preferred(author)];
      const { activity, results } = await send("create-reply", vars, inboxes);
      const { "@context": context, ...rest } = activity;
      statuses.set(status, { vars, object: rest.object as Record<string, unknown>, context, inboxes, deleted: false, lastSecond: Math.floor(published.getTime() / 1000) });
      return { uri: status, activity, results };
    },
    async editReply(uri, text, options) {
      const status = statusOf(uri);
      // `updated` must be newer than the stored edited_at, at Ruby's one-second resolution (process_status_update_service.rb).
      const second = Math.max(Math.floor(Date.now() / 1000), status.lastSecond + 1);
      status.lastSecond = second;
      const vars = { ...status.vars, ...textVars(text, options), UPDATED: rubyIso(new Date(second * 1000)), EPOCH: second };
      const { activity, results } = await send("update-reply", vars, status.inboxes);
      status.object = activity.object as Record<string, unknown>;
      return { uri, activity, results };
    },
    async deleteReply(uri) {
      const status = statusOf(uri);
      status.deleted = true;
      const { activity, results } = await send("delete-note", { STATUS: uri }, status.inboxes);
      return { uri, activity, results };
    },
    async updateProfile(changes) {
      info = { ...info, ...(changes.displayName !== undefined && { displayName: changes.displayName }), ...(changes.summaryHtml !== undefined && { summaryHtml: changes.summaryHtml }) };
      const inboxes: string[] = [];
      for (const target of follows.keys()) inboxes.push(preferred(await resolveActor(target)));
      const epoch = Math.floor(Date.now() / 1000);
      const { results } = await send("update-person", { EPOCH: epoch, ACTOR_CONTEXT, PERSON: personDocument(info, false) }, inboxes);
      return results;
    },
    async fetchObject(iri, options = {}) {
      const response = await signedGet(new URL(iri), options.signer ?? deps.instanceSigner, deps.http, options.accept);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      return { ...response, json };
    },
    resolveActor,
    post,
    document(url) {
      const status = statuses.get(url);
      if (status !== undefined) return status.deleted ? undefined : { "@context": status.context, ...status.object };
      const collection = (suffix: string) => url === `${actorId}/${suffix}`;
      if (collection("followers") || collection("following") || collection("outbox")) {
        return { "@context": AS, id: url, type: "OrderedCollection", totalItems: 0, first: `${url}?page=1` };
      }
      if (collection("collections/featured")) return { "@context": AS, id: url, type: "OrderedCollection", totalItems: 0, orderedItems: [] };
      if (collection("collections/tags")) return { "@context": AS, id: url, type: "Collection", totalItems: 0, items: [] };
      return undefined;
    },
    process(activity) {
      if (activity.type !== "Accept" && activity.type !== "Reject") return;
      const signer = idOf(activity.actor);
      const object = activity.object;
      const follow = signer === undefined ? undefined : follows.get(signer);
      if (follow === undefined) return;
      const embedded = typeof object === "object" && object !== null ? (object as Record<string, unknown>) : undefined;
      // accept.rb:18-25: the Follow's id, or an embedded Follow whose actor is the local follower.
      const matches = idOf(object) === follow.id || (embedded?.type === "Follow" && idOf(embedded.actor) === actorId);
      if (matches) follow.state = activity.type === "Accept" ? "accepted" : "rejected";
    },
    followedActors() {
      return new Set([...follows].filter(([, f]) => f.state === "accepted").map(([target]) => target));
    },
  };
}
