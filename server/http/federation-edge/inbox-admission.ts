import type { Context, MiddlewareHandler } from "hono";
import { getLogger } from "@logtape/logtape";
import { type JsonLimits, jsonBoundsViolation } from "../../platform/json-bounds.ts";
import { readCapped } from "../../platform/read-capped.ts";
import { temporalLiteralProblem } from "./temporal-literals.ts";

const logger = getLogger(["commonsnet", "inbox", "admission"]);

/** Mastodon refuses inbox bodies over 1 MB with 413 (app/controllers/activitypub/inboxes_controller.rb). */
export const MAX_INBOX_BODY_BYTES = 1024 * 1024;

/**
 * The shape an inbound activity may have. An activity we act on is a few levels deep (Create → Note →
 * attachment or tag → object, plus an inline `@context` and an LD signature) with tens of members;
 * these bounds leave room for every implementation we federate with while keeping JSON-LD expansion
 * and signature checks, which cost in proportion to nesting and size, well under a second. A single
 * string may fill the body (a long article is legitimate, and costs only its length).
 */
export const INBOX_JSON_LIMITS: JsonLimits = { maxDepth: 24, maxMembers: 2_000, maxElements: 4_000, maxStringLength: MAX_INBOX_BODY_BYTES };

const INBOX_PATH = /^\/(?:inbox|@[^/]+\/inbox)$/;
const ADMITTED = "admittedActivity";

/**
 * The first thing an inbox POST meets, before anything is fetched, parsed by Fedify, queued or stored:
 *
 * 1. Without an HTTP signature (`Signature`, draft-cavage-http-signatures-12, or `Signature-Input`,
 *    RFC 9421) the request is refused with 401 unread. Mastodon signs every delivery
 *    (app/lib/request.rb), so nothing legitimate is lost, and an anonymous sender can no longer make
 *    the node parse a body or fetch the JSON-LD contexts it names.
 * 2. A body over 1 MB gets 413 (by Content-Length, or counted while read).
 * 3. The body must be UTF-8 JSON within INBOX_JSON_LIMITS, with no NUL or lone surrogate in any string
 *    and dates written as text (temporal-literals.ts), else 400 saying what was wrong: a 4xx tells
 *    the sender not to retry, where a 500 would make it retry for days.
 *
 * The parsed document is kept for the guards after this one (`admittedActivity`); Fedify reads the
 * original request untouched, so digests and signatures are checked over the bytes that were sent.
 */
export function inboxAdmission(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return await next();
    if (!c.req.raw.headers.has("signature") && !c.req.raw.headers.has("signature-input")) {
      return c.json({ error: "unauthorized", message: "Inbox deliveries must be signed (an HTTP Signature or Signature-Input header)." }, 401);
    }
    const declared = Number(c.req.header("content-length") ?? Number.NaN);
    if (declared > MAX_INBOX_BODY_BYTES) return tooLarge(c);
    const body = await readCapped(c.req.raw.clone().body, MAX_INBOX_BODY_BYTES);
    if (body === null) return tooLarge(c);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch (error) {
      return refuse(c, `The body is not UTF-8 JSON: ${(error as Error).message}`);
    }
    const violation = jsonBoundsViolation(json, INBOX_JSON_LIMITS) ?? temporalLiteralProblem(json);
    if (violation !== null) return refuse(c, violation);
    c.set(ADMITTED as never, json as never);
    return await next();
  };
}

/** The parsed body of an inbox POST that `inboxAdmission` let through, or undefined for other requests. */
export function admittedActivity(c: Context): unknown {
  return c.get(ADMITTED as never) as unknown;
}

function refuse(c: Context, message: string): Response {
  logger.info("Refused an inbox POST to {path}: {message}", { path: c.req.path, message });
  return c.json({ error: "bad_request", message }, 400);
}

function tooLarge(c: Context): Response {
  return c.json({ error: "payload_too_large", message: `Inbox payloads are limited to ${MAX_INBOX_BODY_BYTES} bytes.` }, 413);
}
