import type { Federation } from "@fedify/fedify";
import { verifyJsonLd } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Context as HonoContext, MiddlewareHandler } from "hono";
import { atPublicOrigin } from "./fedify-middleware.ts";
import { createHttpSignatureCheck, type SignatureVerdict } from "./http-signature-check.ts";
import { admittedActivity } from "./inbox-admission.ts";
import { findActorByHandle } from "../../modules/actors/index.ts";
import { NODE_IDENTITY } from "../../../federation/actors.ts";
import type { FederationDeps } from "../../../federation/federation-deps.ts";
import { fetchRemoteActor, TransientFetchError } from "../../../federation/inbox/remote-actors.ts";
import { type ClaimedKeys, claimedKeys, firstActorIri, withoutFragment } from "../../../federation/inbox/signing-keys.ts";

const logger = getLogger(["commonsnet", "inbox", "guard"]);

const INBOX_PATH = /^\/(?:inbox|@([^/]+)\/inbox)$/;
const LISTED_TTL_MS = 10 * 60 * 1000;
const LISTED_MAX_ENTRIES = 10_000;

/**
 In front of Fedify for POSTs to any inbox that `inboxAdmission` let through (signed, bounded JSON),
 * before anything is verified or queued:
 *
 * 0. The HTTP signature must verify (http-signature-check.ts), else 401: Fedify would otherwise
 *    process the body's JSON-LD, fetching the contexts it names, for a forged signature header.
 * 1. Every key the request names (HTTP signature keyId, LD signature creator, proof method) must be
 *    listed by the activity's actor document, else 401. Fedify accepts a key that merely claims its
 *    owner (G7 in docs/security.md#fedify-gaps, reproduced: docs/stack.md#fedify); Mastodon requires the owner to list
 *    the key (fetch_remote_key_service.rb). A key at `<actor>#fragment` is the actor's own document,
 *    so only keys elsewhere cost a fetch of the actor. A forwarded activity (HTTP-signed by someone
 *    else) passes only with a verified LD signature by a key its actor lists.
 * 2. An activity whose id is on another origin than its actor is dropped with 202 (G6), before
 *    Fedify's idempotency cache can record a forged id as processed.
 *
 * Fedify verifies the signature again; its own checks stay as they are.
 */
export function inboxGuardMiddleware(federation: Federation<FederationDeps>, deps: FederationDeps): MiddlewareHandler {
  const listed = new Map<string, number>();
  const signatureVerifies = createHttpSignatureCheck();
  return async (c, next) => {
    if (c.req.method !== "POST") return await next();
    const match = INBOX_PATH.exec(c.req.path);
    if (match === null) return await next();
    // An unknown local inbox is Fedify's 404; nothing remote is fetched for it.
    if (match[1] !== undefined && !(await isLocalActor(deps, match[1]))) return await next();
    const json = admittedActivity(c);
    const keys = claimedKeys(c.req.raw.headers, json);
    const actor = firstActorIri(json);
    if (keys.http === null) return c.json({ error: "unauthorized", message: "The request's HTTP signature names no key (keyId)." }, 401);
    const verdict = await signatureVerdict(c, federation, deps, signatureVerifies);
    // A deleted actor's own Delete: its key is gone, and Fedify's unverified-activity hook decides (SIG-10).
    if (verdict === "key-gone" && actor !== null && isSelfDelete(json, actor)) return await next();
    if (verdict !== "verified") {
      return c.json({ error: "unauthorized", message: `The HTTP signature by ${keys.http} does not verify (or its key could not be fetched).` }, 401);
    }
    if (actor === null) return await next();
    const refusal = await checkKeys(c, federation, deps, listed, actor, keys, json);
    if (refusal !== null) return refusal;
    const id = (json as { id?: unknown }).id;
    if (typeof id === "string" && originOf(id) !== originOf(actor)) {
      logger.warning("Dropped {id}: its id is not on the origin of its actor {actor}", { id, actor });
      return c.text("", 202);
    }
    return await next();
  };
}

async function signatureVerdict(
  c: HonoContext,
  federation: Federation<FederationDeps>,
  deps: FederationDeps,
  check: ReturnType<typeof createHttpSignatureCheck>,
): Promise<SignatureVerdict> {
  const ctx = federation.createContext(c.req.raw, deps);
  try {
    // As Fedify will see it: at the public origin, since RFC 9421 signs the URL the sender used.
    const request = atPublicOrigin(c.req.raw.clone(), deps.config.publicUrl.origin);
    return await check(request, { documentLoader: await ctx.getDocumentLoader(NODE_IDENTITY), contextLoader: ctx.contextLoader });
  } catch (error) {
    logger.info("Could not verify an HTTP signature: {error}", { error });
    return "refused";
  }
}

function isSelfDelete(json: unknown, actor: string): boolean {
  if (json === null || typeof json !== "object") return false;
  const { type, object } = json as { type?: unknown; object?: unknown };
  const objectId = object !== null && typeof object === "object" ? (object as { id?: unknown }).id : object;
  return type === "Delete" && objectId === actor;
}

async function checkKeys(
  c: HonoContext,
  federation: Federation<FederationDeps>,
  deps: FederationDeps,
  listed: Map<string, number>,
  actor: string,
  keys: ClaimedKeys,
  json: unknown,
): Promise<Response | null> {
  const ctx = federation.createContext(c.req.raw, deps);
  let actorDocument: Promise<Set<string> | null> | undefined;
  const isListed = async (keyId: string): Promise<boolean> => {
    if (withoutFragment(keyId) === actor) return true;
    const cacheKey = `${actor}\n${keyId}`;
    if ((listed.get(cacheKey) ?? 0) > Date.now()) return true;
    // Our own actors sign only with keys under their own IRI (checked above); another key claiming one of
    // them is refused here, without fetching our own actor over the network.
    if (originOf(actor) === deps.config.publicUrl.origin) return false;
    actorDocument ??= fetchRemoteActor(ctx, new URL(actor)).then((doc) =>
      doc === null ? null : new Set([...doc.publicKeyIds, ...doc.assertionMethodIds].map((url) => url.href)),
    );
    const ids = await actorDocument;
    if (ids === null || !ids.has(keyId)) return false;
    if (listed.size >= LISTED_MAX_ENTRIES) listed.clear();
    listed.set(cacheKey, Date.now() + LISTED_TTL_MS);
    return true;
  };
  try {
    for (const keyId of keys.others) {
      if (!(await isListed(keyId))) return refuse(c, keyId, actor);
    }
    if (keys.http === null || (await isListed(keys.http))) return null;
    if (keys.ldCreator !== null && (await verifyJsonLd(json, { documentLoader: await ctx.getDocumentLoader(NODE_IDENTITY), contextLoader: ctx.contextLoader }))) {
      return null; // forwarded: the LD signature speaks for the actor (Mastodon's relayed path)
    }
    return refuse(c, keys.http, actor);
  } catch (error) {
    if (error instanceof TransientFetchError) {
      logger.warning("Could not fetch {actor} to check its keys: {error}", { actor, error });
      return c.json({ error: `Could not fetch the actor ${actor} to check its keys; try again later.` }, 503);
    }
    // Malformed remote input (e.g. JSON-LD the signature check cannot process) is refused, never a 500.
    logger.warning("Could not check the keys of an activity by {actor}: {error}", { actor, error });
    return c.json({ error: "The activity's signatures could not be checked." }, 401);
  }
}

async function isLocalActor(deps: FederationDeps, encodedHandle: string): Promise<boolean> {
  let handle: string;
  try {
    handle = decodeURIComponent(encodedHandle);
  } catch {
    return false;
  }
  return (await findActorByHandle(deps.db, handle)) !== undefined;
}

function refuse(c: HonoContext, keyId: string, actor: string): Response {
  logger.warning("Refused an activity by {actor} signed with {keyId}, a key that actor does not list", { actor, keyId });
  return c.json({ error: `The key ${keyId} is not listed by the actor ${actor}.` }, 401);
}

function originOf(iri: string): string | null {
  try {
    return new URL(iri).origin;
  } catch {
    return null;
  }
}
