import { createHash, createSign, type KeyObject } from "node:crypto";

/**
 * Mastodon's draft-cavage HTTP signatures, written out by hand so the bytes are Mastodon's and not
 * whatever a library would choose (app/lib/request.rb, http_signature_draft.rb).
 *
 * Covered headers, as each version sends them (request.rb at each release):
 *   ≤ 4.3: POST `(request-target) host date digest content-type`, GET `(request-target) host date accept`
 *   4.4–4.6: POST `host date digest content-type (request-target)`, GET `host date accept (request-target)`
 *   4.7: POST `host date content-type digest (request-target)`, GET `host date (request-target)`
 */
export type MastodonVersion = "4.3" | "4.6" | "4.7";

export const COVERED_HEADERS: Record<MastodonVersion, { readonly post: readonly string[]; readonly get: readonly string[] }> = {
  "4.3": { post: ["(request-target)", "host", "date", "digest", "content-type"], get: ["(request-target)", "host", "date", "accept"] },
  "4.6": { post: ["host", "date", "digest", "content-type", "(request-target)"], get: ["host", "date", "accept", "(request-target)"] },
  "4.7": { post: ["host", "date", "content-type", "digest", "(request-target)"], get: ["host", "date", "(request-target)"] },
};

/** `Digest: SHA-256=<base64>` over the exact bytes sent (request.rb; base64, not hex: docs PR #1119). */
export function digestHeader(body: Uint8Array | string): string {
  return `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
}

/** `(request-target)` as Mastodon builds it: lower-case verb, path, and `?query` when there is one. */
export function requestTarget(method: string, url: URL): string {
  return `${method.toLowerCase()} ${url.pathname}${url.search}`;
}

/**
 * The string Mastodon signs: one `name: value` line per covered header, joined by "\n", in the
 * order of `headers=` (http_signature_draft.rb `signed_string`).
 */
export function signingString(method: string, url: URL, headers: Readonly<Record<string, string>>, covered: readonly string[]): string {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return covered
    .map((name) => {
      if (name === "(request-target)") return `(request-target): ${requestTarget(method, url)}`;
      const value = lower[name];
      if (value === undefined) throw new Error(`cannot sign ${name}: the request has no such header`);
      return `${name}: ${value}`;
    })
    .join("\n");
}

/** The `Signature` header value: keyId, algorithm, headers, signature, in Mastodon's order. */
export function signatureHeader(keyId: string, privateKey: KeyObject, signed: string, covered: readonly string[]): string {
  const signature = createSign("RSA-SHA256").update(signed).sign(privateKey, "base64");
  return `keyId="${keyId}",algorithm="rsa-sha256",headers="${covered.join(" ")}",signature="${signature}"`;
}

export interface SignedHeaders {
  /** Header name → value, in the order Mastodon sets them (Request#set_common_headers! then add_headers). */
  readonly headers: Record<string, string>;
  readonly signingString: string;
}

export interface SignOptions {
  readonly method: "GET" | "POST";
  readonly url: URL;
  /** The `Host` value sent and signed (Mastodon: host without port; see fake-mastodon.ts). */
  readonly host: string;
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly version: MastodonVersion;
  readonly userAgent: string;
  readonly date?: Date;
  /** POST only: the exact bytes that will be sent. */
  readonly body?: Uint8Array;
  /** GET only (Mastodon's default for fetching ActivityPub documents, json_ld_helper.rb:360). */
  readonly accept?: string;
}

/** Headers for one request, signed exactly as Mastodon's Request class signs them. */
export function signMastodonRequest(options: SignOptions): SignedHeaders {
  const headers: Record<string, string> = {
    "User-Agent": options.userAgent,
    Host: options.host,
    Date: (options.date ?? new Date()).toUTCString(),
    "Accept-Encoding": "gzip",
  };
  let covered: readonly string[];
  if (options.method === "POST") {
    if (options.body === undefined) throw new Error("a POST needs its body to be signed");
    headers["Content-Type"] = "application/activity+json";
    headers.Digest = digestHeader(options.body);
    covered = COVERED_HEADERS[options.version].post;
  } else {
    headers.Accept = options.accept ?? "application/activity+json, application/ld+json";
    covered = COVERED_HEADERS[options.version].get;
  }
  const signed = signingString(options.method, options.url, headers, covered);
  headers.Signature = signatureHeader(options.keyId, options.privateKey, signed, covered);
  return { headers, signingString: signed };
}

/** The parameters of a draft-cavage `Signature` header; duplicates are refused, as signature_parser.rb does. */
export function parseSignatureHeader(value: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const input = value.replace(/^Signature\s+/i, "");
  const pattern = /\s*([a-zA-Z]+)\s*=\s*"([^"]*)"\s*(,|$)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(input)) !== null) {
    const key = match[1]!;
    if (key in params) return undefined;
    params[key] = match[2]!;
    consumed = pattern.lastIndex;
    if (consumed >= input.length) break;
  }
  return consumed === input.length && Object.keys(params).length > 0 ? params : undefined;
}

/**
 * Mastodon's own requirements on what a draft-cavage signature covers, checked before the
 * cryptography (signed_request.rb:18-24,54-59). Returns the reason Mastodon gives, or undefined.
 */
export function cavageCoverageProblem(method: string, params: Readonly<Record<string, string>>): string | undefined {
  if (params.keyId === undefined || params.signature === undefined) return "Incompatible request signature. keyId and signature are required";
  const algorithm = params.algorithm ?? "hs2019";
  if (algorithm !== "rsa-sha256" && algorithm !== "hs2019") return `Unsupported signature algorithm ${algorithm}`;
  const covered = (params.headers ?? (algorithm === "hs2019" ? "(created)" : "date")).toLowerCase().split(/\s+/);
  if (!covered.includes("date") && !covered.includes("(created)")) return "Mastodon requires the Date header or (created) pseudo-header to be signed";
  if (!covered.includes("(request-target)") && !covered.includes("digest")) return "Mastodon requires the Digest header or (request-target) pseudo-header to be signed";
  if (method === "GET" && !covered.includes("host")) return "Mastodon requires the Host header to be signed when doing a GET request";
  if (method === "POST" && !covered.includes("digest")) return "Mastodon requires the Digest header to be signed when doing a POST request";
  return undefined;
}

/**
 * Mastodon's Digest check (signed_request.rb:61-80): comma-separated `algo=value` pairs, the
 * SHA-256 one (name matched case-insensitively) must equal the base64 SHA-256 of the raw bytes.
 */
export function digestProblem(header: string | undefined, body: Uint8Array): string | undefined {
  if (header === undefined) return "Mastodon requires the Digest header to be signed when doing a POST request";
  const pairs = header.split(",").map((part) => {
    const at = part.indexOf("=");
    return at < 0 ? [part.trim(), ""] : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
  });
  const sha256 = pairs.find(([algo]) => algo!.toLowerCase() === "sha-256");
  if (sha256 === undefined) return `Mastodon only supports SHA-256 in Digest header. Offered algorithms: ${pairs.map(([a]) => a).join(", ")}`;
  const expected = createHash("sha256").update(body).digest("base64");
  return sha256[1] === expected ? undefined : `Invalid Digest value. Computed SHA-256 digest: ${expected}; given: ${sha256[1]}`;
}

/** Mastodon's clock window without `expires` (signed_request.rb:255-266): Date within [now − 65 min, now + 60 min]. */
export function dateProblem(date: string | undefined, now = Date.now()): string | undefined {
  if (date === undefined) return "Mastodon requires the Date header or (created) pseudo-header to be signed";
  const created = Date.parse(date);
  if (Number.isNaN(created)) return "Invalid Date header";
  if (created > now + 3600_000) return "Signed request date is too far in the future";
  if (now > created + 300_000 + 3600_000) return "Signed request date is too old";
  return undefined;
}
