import {
  type AuthenticatedDocumentLoaderFactory,
  type DocumentLoader,
  type DocumentLoaderFactory,
  FetchError,
  type Federation,
  getUserAgent,
  type KvStore,
  kvCache,
  preloadedContexts,
  type RemoteDocument,
  signRequest,
  UrlError,
} from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { readCapped } from "../server/platform/read-capped.ts";
import type { Config } from "../server/platform/config.ts";
import { type AddressPolicy, addressPolicyFor } from "../server/platform/outbound-http/address-policy.ts";
import { findAddressRefusal } from "../server/platform/outbound-http/guarded-connector.ts";
import { dispatcherFor } from "../server/platform/outbound-http/outbound-dispatcher.ts";
import { SOFTWARE_VERSION } from "../server/platform/version.ts";

const logger = getLogger(["commonsnet", "fetch"]);

/** Mastodon reads at most 1 MB of any fetched document (app/lib/request.rb `body_with_limit`). */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Total deadline for one document, redirects and body included (docs/security.md#fetching, DOS-06). */
export const FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;
const AS_PROFILE = "https://www.w3.org/ns/activitystreams";
const ACCEPT = `application/activity+json, application/ld+json; profile="${AS_PROFILE}"`;
const CONTEXT_ACCEPT = "application/ld+json, application/json;q=0.9";

export interface FetchPolicy {
  /** Which addresses connections may reach: public ones, plus the non-public ranges the config names. */
  readonly addresses: AddressPolicy;
  readonly userAgent: string;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
}

/** What a fetched document must be: an ActivityPub object, or a JSON-LD context. */
type DocumentKind = "activitypub" | "context";

interface Signer {
  readonly keyId: URL;
  readonly privateKey: CryptoKey;
}

/**
 * `application/activity+json`, or `application/ld+json` with the ActivityStreams profile: what
 * Mastodon accepts since GHSA-3fjr-858r-92rw (json_ld_helper.rb `valid_activitypub_content_type?`).
 * Anything else (application/json, text/plain, an uploaded file) is not an ActivityPub document
 * (docs/security.md#origins, ORI-08, G4).
 */
export function isActivityPubContentType(value: string | null): boolean {
  if (value === null) return false;
  const [type = "", ...params] = value.split(";").map((part) => part.trim());
  const mime = type.toLowerCase();
  if (mime === "application/activity+json") return true;
  if (mime !== "application/ld+json") return false;
  const profile = params.find((param) => param.toLowerCase().startsWith("profile="));
  if (profile === undefined) return false;
  return profile.slice("profile=".length).replace(/^"|"$/g, "").split(/\s+/).includes(AS_PROFILE);
}

function isContextContentType(value: string | null): boolean {
  const mime = (value ?? "").split(";")[0]!.trim().toLowerCase();
  return mime === "application/ld+json" || mime === "application/json" || mime === "application/activity+json";
}

/**
 * Fetches one JSON-LD document with the limits Fedify's built-in loader lacks (G4 in docs/security.md): a size cap,
 * a total deadline and the ActivityPub content types. Every hop connects through the address
 * policy's agent, which refuses non-public addresses when the socket opens; a signer signs every hop (draft-cavage first, as Mastodon verifies
 * it everywhere; RFC 9421 once if the peer answers 400/401).
 */
export async function fetchDocument(
  url: string,
  policy: FetchPolicy,
  kind: DocumentKind,
  signer?: Signer,
  outerSignal?: AbortSignal,
): Promise<RemoteDocument> {
  const timeoutMs = policy.timeoutMs ?? FETCH_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = outerSignal === undefined ? timeout : AbortSignal.any([outerSignal, timeout]);
  let current = new URL(url).href;
  const visited = new Set<string>();
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (current in preloadedContexts) return { contextUrl: null, document: preloadedContexts[current], documentUrl: current };
      refuseNonHttp(current);
      visited.add(current);
      const response = await request(current, policy, kind, signer, signal);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        const next = new URL(location, current).href;
        if (visited.has(next)) throw new FetchError(current, `Redirect loop at ${next}`);
        current = next;
        continue;
      }
      return await readDocument(current, response, policy, kind);
    }
    throw new FetchError(current, `More than ${MAX_REDIRECTS} redirects fetching ${url}`);
  } catch (error) {
    const refusal = findAddressRefusal(error);
    if (refusal !== undefined) {
      logger.warning("Refused to fetch {url}: {reason}", { url: current, reason: refusal.message });
      throw new UrlError(`Refused to fetch ${current}: ${refusal.message}`);
    }
    if (timeout.aborted && !(outerSignal?.aborted ?? false)) {
      throw new FetchError(current, `Timed out after ${timeoutMs} ms fetching ${current}`);
    }
    throw error;
  }
}

/** fetch() also reads data: and blob: URLs without any network; a remote document is http(s) only. */
function refuseNonHttp(url: string): void {
  const { protocol } = new URL(url);
  if (protocol !== "http:" && protocol !== "https:") throw new UrlError(`Unsupported scheme ${protocol} in ${url}`);
}

async function request(url: string, policy: FetchPolicy, kind: DocumentKind, signer: Signer | undefined, signal: AbortSignal): Promise<Response> {
  const build = () =>
    new Request(url, {
      headers: { Accept: kind === "context" ? CONTEXT_ACCEPT : ACCEPT, "User-Agent": policy.userAgent },
      redirect: "manual",
    });
  const init = { redirect: "manual", signal, dispatcher: dispatcherFor(policy.addresses) } as RequestInit;
  if (signer === undefined) return await fetch(build(), init);
  const cavage = await signRequest(build(), signer.privateKey, signer.keyId, { spec: "draft-cavage-http-signatures-12" });
  const response = await fetch(cavage, init);
  if (response.status !== 400 && response.status !== 401) return response;
  await response.body?.cancel();
  const rfc9421 = await signRequest(build(), signer.privateKey, signer.keyId, { spec: "rfc9421" });
  return await fetch(rfc9421, init);
}

async function readDocument(url: string, response: Response, policy: FetchPolicy, kind: DocumentKind): Promise<RemoteDocument> {
  if (!response.ok) {
    await response.body?.cancel();
    // Fedify reads the status from the error's response (410 Gone → a deleted actor's key).
    throw new FetchError(url, `HTTP ${response.status}: ${url}`, new Response(null, { status: response.status }));
  }
  const contentType = response.headers.get("content-type");
  const accepted = kind === "context" ? isContextContentType(contentType) : isActivityPubContentType(contentType);
  if (!accepted) {
    await response.body?.cancel();
    throw new FetchError(url, `Not an ActivityPub document (Content-Type: ${contentType ?? "none"}): ${url}`);
  }
  const bytes = await readBody(url, response, policy.maxBytes ?? MAX_DOCUMENT_BYTES);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new FetchError(url, `Invalid JSON: ${url}`);
  }
  return { contextUrl: null, document, documentUrl: url };
}

/** Reads at most `maxBytes`, whatever Content-Length claims (or when it is absent). */
async function readBody(url: string, response: Response, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new FetchError(url, `Document larger than ${maxBytes} bytes: ${url}`);
  if (Number(response.headers.get("content-length") ?? Number.NaN) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const bytes = await readCapped(response.body, maxBytes);
  if (bytes === null) throw tooLarge();
  return bytes;
}

export interface LoaderFactories {
  readonly documentLoaderFactory: DocumentLoaderFactory;
  readonly contextLoaderFactory: DocumentLoaderFactory;
  readonly authenticatedDocumentLoaderFactory: AuthenticatedDocumentLoaderFactory;
}

export function fetchPolicyFor(config: Config): FetchPolicy {
  return {
    addresses: addressPolicyFor(config),
    userAgent: getUserAgent({ software: `Commonsnet/${SOFTWARE_VERSION}`, url: config.publicUrl }),
  };
}

/**
 * The loaders Fedify uses for every remote document (actors, objects, keys, contexts). Fedify
 * refuses custom factories together with its `allowPrivateAddress`/`userAgent` options
 * (docs/stack.md#fedify), so the policy from the config is applied here and the options Fedify passes
 * are ignored. Unsigned documents and contexts are cached in the KV store for 5 minutes, as Fedify's
 * own loader does; signed fetches are not cached (what a peer shows one signer is not for everyone).
 */
export function createLoaderFactories(policy: FetchPolicy, kv: KvStore): LoaderFactories {
  const cached = (kind: DocumentKind): DocumentLoader =>
    kvCache({
      loader: (url, options) => fetchDocument(url, policy, kind, undefined, options?.signal),
      kv,
      prefix: ["_fedify", "remoteDocument", kind],
      kind: kind === "context" ? "context" : "object",
    });
  const documentLoader = cached("activitypub");
  const contextLoader = cached("context");
  return {
    documentLoaderFactory: () => documentLoader,
    contextLoaderFactory: () => contextLoader,
    authenticatedDocumentLoaderFactory: (identity) => (url, options) =>
      fetchDocument(url, policy, "activitypub", identity, options?.signal),
  };
}

/**
 * With custom loaders Fedify leaves its own `allowPrivateAddress` off and its User-Agent default,
 * and those two still govern its WebFinger lookups. Fedify's check knows only "no private address
 * at all", so it stays on for a public-only node; a node allowed some ranges (loopback nodes in
 * development and tests) turns it off and relies on the agent, which refuses what was not named.
 */
export function applyFetchPolicyToWebFinger<T>(federation: Federation<T>, policy: FetchPolicy): void {
  const settings = federation as unknown as { allowPrivateAddress: boolean; userAgent: unknown };
  settings.allowPrivateAddress = policy.addresses.allowedRanges.length > 0;
  settings.userAgent = policy.userAgent;
}
