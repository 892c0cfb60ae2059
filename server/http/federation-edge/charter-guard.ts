import { getLogger } from "@logtape/logtape";
import type { MiddlewareHandler } from "hono";
import type { CharterService } from "../../modules/charter/index.ts";
import { refusalMessage } from "../../modules/charter/charter.service.ts";
import { inboundVerdict } from "../../modules/charter/peer-policy.ts";
import { NODE_ACTOR_HANDLE } from "../../modules/actors/handle.schema.ts";
import { admittedActivity } from "./inbox-admission.ts";
import { claimedKeys } from "../../../federation/inbox/signing-keys.ts";
import { actorPagePath } from "../../../federation/uris.ts";

const logger = getLogger(["commonsnet", "charter"]);
const INBOX_PATH = /^\/(?:inbox|@[^/]+\/inbox)$/;

/**
 * The node's charter at the edge: mounted after the admission and before the inbox guard, so a POST to any inbox from
 * a host the charter excludes is refused with 403 before anything about it is fetched, verified,
 * queued or stored. The sending host is every host the request names: its signing keys' and its
 * actors'. Claims are not trusted here; they only refuse. What passes is still verified by the inbox
 * guard and Fedify, which bind the keys to those hosts. The charter is read on every request, so a
 * change applies to the very next inbound activity. It reads the body `inboxAdmission` parsed: unsigned,
 * malformed and oversized requests never get here.
 */
export function charterGuardMiddleware(charter: CharterService, publicUrl: URL): MiddlewareHandler {
  const nodeActor = new URL(actorPagePath(NODE_ACTOR_HANDLE), publicUrl).href;
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return await next();
    const json = admittedActivity(c);
    const hosts = sendingHosts(c.req.raw.headers, json);
    if (hosts.length === 0) return await next();
    const rules = await charter.current();
    const verdict = inboundVerdict(rules.document, { hosts, connectionRequest: isConnectionRequest(json, nodeActor) });
    if (verdict.allowed) return await next();
    const message = refusalMessage(verdict.host, rules.version);
    logger.warning("Refused {type} {id} to {path}: {message}", { type: field(json, "type"), id: field(json, "id"), path: c.req.path, message });
    return c.json({ error: "forbidden", message }, 403);
  };
}

/** Hosts of the HTTP signature keys, the LD signature creator and proof methods, and every actor. */
export function sendingHosts(headers: Headers, json: unknown): string[] {
  const keys = claimedKeys(headers, json);
  const actors = json !== null && typeof json === "object" ? (json as { actor?: unknown }).actor : undefined;
  const iris = [keys.http, ...keys.others, ...(Array.isArray(actors) ? actors : [actors]).map(idOf)];
  const hosts = iris.flatMap((iri) => (typeof iri === "string" && URL.canParse(iri) ? [new URL(iri).host.toLowerCase()] : []));
  return [...new Set(hosts.filter((h) => h !== ""))];
}

/** A `Follow` of our node actor, or the `Undo` of one (the object embedded, as Mastodon sends it). */
function isConnectionRequest(json: unknown, nodeActor: string): boolean {
  const type = field(json, "type");
  const object = json !== null && typeof json === "object" ? (json as { object?: unknown }).object : undefined;
  if (type === "Follow") return idOf(object) === nodeActor;
  if (type === "Undo") return field(object, "type") === "Follow" && idOf(field(object, "object")) === nodeActor;
  return false;
}

function idOf(value: unknown): unknown {
  return value !== null && typeof value === "object" ? (value as { id?: unknown }).id : value;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}
