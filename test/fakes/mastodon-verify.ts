import { type DocumentLoader, preloadedContexts, verifyRequestDetailed } from "@fedify/fedify";
import { FetchRefused, fetchResource, type HttpOptions, rawRequest, type Signer, webfingerRequest } from "./mastodon-http.ts";
import { actorDocumentProblems, asArray } from "./mastodon-rules.ts";
import { cavageCoverageProblem, dateProblem, digestProblem, parseSignatureHeader } from "./mastodon-signature.ts";

/**
 * Inbound signature verification as Mastodon does it (signature_verification.rb, signed_request.rb):
 * Mastodon's own coverage, Digest and clock rules first, then the cryptography (Fedify's verifier,
 * either spec) with the signer's key fetched by a GET signed as the instance actor, twice if the key
 * document's id differs (fetch_remote_key_service.rb), and the owner accepted only if its actor
 * document passes fetch_remote_actor_service.rb's checks and the WebFinger round trip
 * (process_account_service.rb:155-181; docs/mastodon.md#webfinger).
 */

export interface VerifyContext {
  readonly instanceSigner: Signer;
  readonly http: HttpOptions;
  /** Mastodon ≥ 4.5 verifies RFC 9421 signatures; ≤ 4.4 only draft-cavage. */
  readonly acceptRfc9421: boolean;
  /** Actors whose document and WebFinger passed, so they are not checked again (4.7 behaviour). */
  readonly acceptedActors: Set<string>;
}

export interface Verification {
  readonly spec: "draft-cavage" | "rfc9421" | "none";
  readonly verified: boolean;
  readonly keyId: string | undefined;
  readonly keyOwner: string | undefined;
  /** The covered components, in the order signed. */
  readonly covered: readonly string[];
  /** Mastodon's 401 reason when not verified. */
  readonly error: string | undefined;
}

const failed = (spec: Verification["spec"], error: string, keyId?: string, covered: readonly string[] = []): Verification => ({
  spec,
  verified: false,
  keyId,
  keyOwner: undefined,
  covered,
  error,
});

export async function verifyMastodonStyle(ctx: VerifyContext, method: string, url: URL, headers: Headers, body: Uint8Array | undefined): Promise<Verification> {
  if (ctx.acceptRfc9421 && headers.has("signature-input")) return await verifyRfc9421(ctx, method, url, headers, body);
  const header = headers.get("signature");
  if (header === null) return failed("none", "Request not signed");
  const params = parseSignatureHeader(header);
  if (params === undefined) return failed("draft-cavage", "Error parsing signature parameters");
  const covered = (params.headers ?? "date").toLowerCase().split(/\s+/);
  const problem =
    cavageCoverageProblem(method, params) ??
    (covered.includes("date") ? dateProblem(headers.get("date") ?? undefined) : undefined) ??
    (method === "POST" ? digestProblem(headers.get("digest") ?? undefined, body ?? new Uint8Array()) : undefined);
  if (problem !== undefined) return failed("draft-cavage", problem, params.keyId, covered);
  return await cryptographic(ctx, "draft-cavage", method, url, headers, body, params.keyId, covered);
}

/** signed_request.rb:145-227: one signature, keyid and created, @method and @target-uri, content-digest on POST. */
async function verifyRfc9421(ctx: VerifyContext, method: string, url: URL, headers: Headers, body: Uint8Array | undefined): Promise<Verification> {
  const input = headers.get("signature-input") ?? "";
  const labels = input.match(/(?:^|,)\s*[a-zA-Z0-9_-]+=\(/g) ?? [];
  if (labels.length !== 1) return failed("rfc9421", "Only a single signature is supported");
  const covered = [...(/\(([^)]*)\)/.exec(input)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  const keyId = /;\s*keyid="([^"]+)"/.exec(input)?.[1];
  if (keyId === undefined || !/;\s*created=\d+/.test(input)) return failed("rfc9421", "keyid and created are required", keyId, covered);
  if (!covered.includes("@method") || !covered.includes("@target-uri")) return failed("rfc9421", "@method and @target-uri must be covered", keyId, covered);
  if (method === "POST" && (!covered.includes("content-digest") || !headers.has("content-digest"))) {
    return failed("rfc9421", "Mastodon requires the Content-Digest header to be signed when doing a POST request", keyId, covered);
  }
  return await cryptographic(ctx, "rfc9421", method, url, headers, body, keyId, covered);
}

async function cryptographic(
  ctx: VerifyContext,
  spec: "draft-cavage" | "rfc9421",
  method: string,
  url: URL,
  headers: Headers,
  body: Uint8Array | undefined,
  keyId: string,
  covered: readonly string[],
): Promise<Verification> {
  const refusals: string[] = [];
  const request = new Request(url, { method, headers, body: body === undefined ? undefined : Buffer.from(body) });
  const result = await verifyRequestDetailed(request, {
    documentLoader: keyLoader(ctx, refusals),
    contextLoader: contextLoader(ctx),
    spec: spec === "rfc9421" ? "rfc9421" : "draft-cavage-http-signatures-12",
  });
  if (!result.verified) {
    const reason = refusals.length > 0 ? refusals.join("; ") : result.reason.type === "keyFetchError" ? `could not fetch key ${keyId}` : `Verification failed for ${keyId} (${result.reason.type})`;
    return failed(spec, reason, keyId, covered);
  }
  return { spec, verified: true, keyId: result.key.id?.href ?? keyId, keyOwner: result.key.ownerId?.href, covered, error: undefined };
}

/** Loads a key document as FetchRemoteKeyService does, refusing owners Mastodon could not make an account of. */
function keyLoader(ctx: VerifyContext, refusals: string[]): DocumentLoader {
  return async (url) => {
    const bare = url.split("#")[0]!;
    try {
      let document = await fetchResource(bare, ctx.instanceSigner, ctx.http, false);
      if (typeof document.id === "string" && document.id !== bare) document = await fetchResource(document.id, ctx.instanceSigner, ctx.http, true);
      const id = String(document.id);
      if (document.publicKey !== undefined && !ctx.acceptedActors.has(id)) {
        const problems = [...actorDocumentProblems(document, id), ...(await webfingerProblems(ctx, document))];
        if (problems.length > 0) throw new FetchRefused(`actor ${id} refused: ${problems.join("; ")}`);
        ctx.acceptedActors.add(id);
      }
      return { contextUrl: null, document, documentUrl: bare };
    } catch (error) {
      refusals.push(error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
}

/** Contexts: the preloaded ones, else fetched unsigned and required to be JSON-LD (json_ld_helper.rb:364-378). */
function contextLoader(ctx: VerifyContext): DocumentLoader {
  return async (url) => {
    if (url in preloadedContexts) return { contextUrl: null, document: preloadedContexts[url], documentUrl: url };
    const response = await rawRequest("GET", new URL(url), { "User-Agent": ctx.http.userAgent, Host: new URL(url).host, Accept: "application/ld+json" });
    if (response.status !== 200) throw new FetchRefused(`context ${url} answered ${response.status}`);
    return { contextUrl: null, document: JSON.parse(response.body.toString("utf8")) as unknown, documentUrl: url };
  };
}

/**
 * WebFinger round trip (process_account_service.rb): the handle is the FEP-2c59 `webfinger` property (4.6+) or preferredUsername@host of id; its
 * WebFinger `self` link must name the actor id byte for byte. The fake asks over the actor's own
 * scheme and host:port (real Mastodon asks https on port 443, which a loopback node cannot serve).
 */
export async function webfingerProblems(ctx: VerifyContext, actor: Record<string, unknown>): Promise<string[]> {
  const id = new URL(String(actor.id));
  const acct = typeof actor.webfinger === "string" ? actor.webfinger.replace(/^acct:/, "") : `${String(actor.preferredUsername)}@${id.host}`;
  const first = await webfinger(ctx, id.protocol, acct);
  if (typeof first === "string") return [first];
  let answer = first;
  if (answer.subject !== `acct:${acct}`) {
    // resolve_account_service.rb:91-108: a different subject is looked up once more and must agree.
    const second = await webfinger(ctx, id.protocol, answer.subject.replace(/^acct:/, ""));
    if (typeof second === "string") return [second];
    if (second.subject !== answer.subject) return [`Too many webfinger redirects for ${acct}`];
    answer = second;
  }
  if (answer.self !== actor.id) return [`WebFinger self link for ${acct} is ${String(answer.self)}, not the actor id ${String(actor.id)}`];
  return [];
}

async function webfinger(ctx: VerifyContext, protocol: string, acct: string): Promise<string | { subject: string; self: string | undefined }> {
  const parts = acct.split("@");
  if (parts.length !== 2) return `${acct} is not user@domain`;
  const url = new URL(`${protocol}//${parts[1]}/.well-known/webfinger?resource=acct:${acct}`);
  const response = await webfingerRequest(url, ctx.http);
  if (response.status !== 200) return `WebFinger for ${acct} answered ${response.status}`;
  let jrd: Record<string, unknown>;
  try {
    jrd = JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
  } catch {
    return `WebFinger for ${acct} is not JSON`;
  }
  if (typeof jrd.subject !== "string" || jrd.subject.replace(/^acct:/, "").split("@").length !== 2) return `WebFinger for ${acct} has no acct: subject`;
  const self = (asArray(jrd.links) as Record<string, unknown>[]).find(
    (link) => link.rel === "self" && (link.type === "application/activity+json" || link.type === 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'),
  );
  return { subject: jrd.subject, self: typeof self?.href === "string" ? self.href : undefined };
}
