import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { KeyObject } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { type MastodonVersion, signMastodonRequest } from "./mastodon-signature.ts";

/**
 * Mastodon's outgoing HTTP (app/lib/request.rb), on node:http so every header byte is ours:
 * the header order of `set_common_headers!`, `Accept-Encoding: gzip`, 1 MB response cap
 * (`body_with_limit`), and the checks JsonLdHelper#fetch_resource makes on what comes back.
 */

/** Mastodon reads at most 1 MB of any response (request.rb:293-304). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
const AP_ACCEPT = "application/activity+json, application/ld+json";

export interface Signer {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

export interface HttpOptions {
  readonly version: MastodonVersion;
  readonly userAgent: string;
  /**
   * `Host` as sent and signed. Mastodon sends `@url.host`, without the port (request.rb:240);
   * "with-port" sends host:port instead, as a peer behind a non-default port would need.
   */
  readonly hostHeader: "without-port" | "with-port";
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export function hostFor(url: URL, mode: HttpOptions["hostHeader"]): string {
  return mode === "with-port" ? url.host : url.hostname;
}

/** One request with the given headers in the given order, body as given; the response read up to 1 MB. */
export function rawRequest(method: string, url: URL, headers: Record<string, string>, body?: Uint8Array): Promise<RawResponse> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const headerList: string[] = [];
  for (const [name, value] of Object.entries(headers)) headerList.push(name, value);
  if (body !== undefined) headerList.push("Content-Length", String(body.byteLength));
  return new Promise((resolve, reject) => {
    const req = send(
      { method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: headerList, setHost: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        let total = 0;
        res.on("data", (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total > MAX_RESPONSE_BYTES) {
            req.destroy(new Error(`Body size exceeds limit of ${MAX_RESPONSE_BYTES}`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          let bytes = Buffer.concat(chunks);
          if (res.headers["content-encoding"] === "gzip") bytes = gunzipSync(bytes);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out: ${method} ${url.href}`)));
    req.on("error", reject);
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}

export interface PostOptions {
  /** Who signs: the account (default), any key, or nobody. */
  readonly signer?: Signer | "none";
  /** Headers replaced after signing (to tamper with a signed request). */
  readonly override?: Readonly<Record<string, string>>;
  /** Sign as this Mastodon version orders the headers, with this Host form (default: the server's). */
  readonly version?: HttpOptions["version"];
  readonly hostHeader?: HttpOptions["hostHeader"];
  /** The signed Date (default now). */
  readonly date?: Date;
}

/** A POST signed as Mastodon's DeliveryWorker signs it, or deliberately not (`signer: "none"`), or tampered with. */
export async function mastodonPost(url: URL, body: Uint8Array, signer: Signer | "none", http: HttpOptions, options: PostOptions = {}): Promise<RawResponse> {
  const host = hostFor(url, options.hostHeader ?? http.hostHeader);
  const date = options.date ?? new Date();
  const headers =
    signer === "none"
      ? { "User-Agent": http.userAgent, Host: host, Date: date.toUTCString(), "Accept-Encoding": "gzip", "Content-Type": "application/activity+json" }
      : signMastodonRequest({ method: "POST", url, host, keyId: signer.keyId, privateKey: signer.privateKey, version: options.version ?? http.version, userAgent: http.userAgent, date, body }).headers;
  return await rawRequest("POST", url, { ...headers, ...options.override }, body);
}

/** A GET signed as JsonLdHelper#build_request signs it (always signed: json_ld_helper.rb:249). */
export async function signedGet(url: URL, signer: Signer, options: HttpOptions, accept = AP_ACCEPT): Promise<RawResponse> {
  const { headers } = signMastodonRequest({
    method: "GET",
    url,
    host: hostFor(url, options.hostHeader),
    keyId: signer.keyId,
    privateKey: signer.privateKey,
    version: options.version,
    userAgent: options.userAgent,
    accept,
  });
  return await rawRequest("GET", url, headers);
}

/**
 * `application/activity+json`, or `application/ld+json` with the ActivityStreams profile
 * (json_ld_helper.rb:327-337); `application/json` is refused since GHSA-3fjr-858r-92rw.
 */
export function isActivityPubContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [mime = "", ...params] = value.split(";").map((p) => p.trim());
  if (mime.toLowerCase() === "application/activity+json") return true;
  if (mime.toLowerCase() !== "application/ld+json") return false;
  return params.some((p) => /^profile="?[^"]*https:\/\/www\.w3\.org\/ns\/activitystreams/.test(p));
}

export class FetchRefused extends Error {
  override name = "FetchRefused";
}

/**
 * JsonLdHelper#fetch_resource: a signed GET that must answer exactly 200 with an ActivityPub
 * content type and JSON whose `id` equals the URL asked for (unless `validateId` is false, as for
 * the first fetch of a key id, json_ld_helper.rb:218-229).
 */
export async function fetchResource(url: string, signer: Signer, options: HttpOptions, validateId = true): Promise<Record<string, unknown>> {
  const response = await signedGet(new URL(url), signer, options);
  if (response.status !== 200) throw new FetchRefused(`GET ${url} answered ${response.status} (Mastodon needs exactly 200): ${response.body.toString("utf8").slice(0, 300)}`);
  const type = String(response.headers["content-type"] ?? "");
  if (!isActivityPubContentType(type)) throw new FetchRefused(`GET ${url} answered Content-Type ${type || "(none)"}, not an ActivityPub type`);
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString("utf8"));
  } catch {
    throw new FetchRefused(`GET ${url} did not answer JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new FetchRefused(`GET ${url} did not answer a JSON object`);
  const document = json as Record<string, unknown>;
  if (validateId && document.id !== url) throw new FetchRefused(`GET ${url} answered a document whose id is ${String(document.id)}`);
  return document;
}

/** An unsigned GET as Mastodon's WebFinger client makes it (webfinger.rb:109-119). */
export async function webfingerRequest(url: URL, options: HttpOptions): Promise<RawResponse> {
  return await rawRequest("GET", url, {
    "User-Agent": options.userAgent,
    Host: hostFor(url, options.hostHeader),
    Date: new Date().toUTCString(),
    "Accept-Encoding": "gzip",
    Accept: "application/jrd+json, application/json",
  });
}
