import { type Context, FetchError, UrlError } from "@fedify/fedify";
import { type Actor, isActor, Object as APObject } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { isStale, type RemoteActor } from "../../server/modules/remote-actors/index.ts";
import { NODE_IDENTITY } from "../actors.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { fromRemoteActor } from "../translate/remote-actor.ts";

const logger = getLogger(["commonsnet", "inbox", "actors"]);

/** A fetch that may succeed later (the peer is down or slow): handlers let Fedify retry the activity. */
export class TransientFetchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TransientFetchError";
  }
}

/**
 * Fetches a remote actor with a GET signed by the node actor (authorized-fetch peers answer unsigned
 * GETs with 401, docs/mastodon.md#signatures), through the limited loader. The document's id must be the IRI
 * asked for. Returns null for a document that is not that actor; throws TransientFetchError when
 * the peer could not be reached.
 */
export async function fetchRemoteActor(ctx: Context<FederationDeps>, iri: URL): Promise<Actor | null> {
  const documentLoader = await ctx.getDocumentLoader(NODE_IDENTITY);
  let document: unknown;
  let documentUrl: string;
  try {
    ({ document, documentUrl } = await documentLoader(iri.href));
  } catch (error) {
    if (isTransient(error)) throw new TransientFetchError(`Could not fetch ${iri.href}: ${String(error)}`, { cause: error });
    logger.info("Could not fetch the actor {iri}: {error}", { iri: iri.href, error });
    return null;
  }
  let object: APObject;
  try {
    object = await APObject.fromJsonLd(document, { documentLoader, contextLoader: ctx.contextLoader, baseUrl: new URL(documentUrl) });
  } catch (error) {
    logger.info("The document at {iri} is not valid JSON-LD: {error}", { iri: iri.href, error });
    return null;
  }
  if (!isActor(object) || object.id?.href !== iri.href || new URL(documentUrl).origin !== iri.origin) {
    logger.info("The document at {iri} is not that actor", { iri: iri.href });
    return null;
  }
  return object;
}

/** A failed fetch that may succeed later: a timeout, an unreachable peer, 5xx, 408 or 429. */
export function isTransient(error: unknown): boolean {
  if (error instanceof UrlError) return false;
  if (error instanceof FetchError) {
    const status = error.response?.status;
    if (status === undefined) return /timed out/i.test(error.message);
    return status >= 500 || status === 429 || status === 408;
  }
  // undici's network failures ("fetch failed", connection refused or reset).
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/**
 * The cached remote actor, refreshed when stale (a day, as Mastodon does) or missing. A peer that is
 * unreachable leaves the stale copy in use; an actor we never saw and cannot fetch is null, as is
 * one that deleted itself. Transient failures for an unknown actor throw TransientFetchError.
 */
export async function resolveRemoteActor(ctx: Context<FederationDeps>, iri: URL): Promise<RemoteActor | null> {
  const cached = await ctx.data.services.remoteActors.byIri(iri.href);
  if (cached !== undefined && cached.deletedAt !== null) return null;
  if (cached !== undefined && !isStale(cached)) return cached;
  let actor: Actor | null;
  try {
    actor = await fetchRemoteActor(ctx, iri);
  } catch (error) {
    if (cached !== undefined) {
      logger.info("Keeping the stale copy of {iri}: {error}", { iri: iri.href, error });
      return cached;
    }
    throw error;
  }
  if (actor === null) return cached ?? null;
  return await storeRemoteActor(ctx, actor);
}

/**
 * Caches an actor document we hold (fetched, or embedded in an Update signed by that actor). Its
 * inbox must be on its own origin (docs/security.md#origins, ORI-09): we POST signed activities there, and
 * an actor naming someone else's inbox, or an internal address, would aim our deliveries at it
 * (Fedify does not check delivery targets, G5). A shared inbox elsewhere is dropped.
 */
export async function storeRemoteActor(ctx: Context<FederationDeps>, actor: Actor): Promise<RemoteActor | null> {
  const draft = await fromRemoteActor(actor);
  if (draft === null) {
    logger.info("Ignored the actor {iri}: no id or inbox, or a preferredUsername that is no username ({username})", { iri: actor.id?.href, username: actor.preferredUsername });
    return null;
  }
  const origin = new URL(draft.iri).origin;
  if (new URL(draft.inbox).origin !== origin) {
    logger.warning("Ignored the actor {iri}: its inbox {inbox} is on another origin", { iri: draft.iri, inbox: draft.inbox });
    return null;
  }
  const sharedInbox = draft.sharedInbox !== null && new URL(draft.sharedInbox).origin === origin ? draft.sharedInbox : null;
  return await ctx.data.services.remoteActors.store({ ...draft, sharedInbox });
}
