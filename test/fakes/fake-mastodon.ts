import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { snowflake } from "./mastodon-activities.ts";
import { type AccountInfo, instanceActorDocument, personDocument, rubyJson, webfingerDocument } from "./mastodon-documents.ts";
import type { HttpOptions, RawResponse, Signer } from "./mastodon-http.ts";
import { createMastodonAccount, type MastodonAccount } from "./mastodon-account.ts";
import { activityProblems, idOf } from "./mastodon-rules.ts";
import type { MastodonVersion } from "./mastodon-signature.ts";
import { type Verification, type VerifyContext, verifyMastodonStyle } from "./mastodon-verify.ts";

/**
 * A fake Mastodon 4.x server on 127.0.0.1 with one account, Alice, for end-to-end federation tests.
 * It publishes what Mastodon publishes (WebFinger, the Person, the instance actor `/actor`), accepts
 * POSTs to Alice's inbox and the shared inbox only with a signature it verified the way Mastodon
 * does (mastodon-verify.ts), records each one with what Mastodon would object to (`problems`), and
 * acts as Alice with the activities of fixtures F3–F10 (mastodon-account.ts).
 *
 * Deviations from a real Mastodon, forced by loopback: ids are http://127.0.0.1:<port>, and the
 * WebFinger round trip (docs/mastodon.md#webfinger) asks over the actor's own scheme and port. The `Host` header is sent
 * and signed without the port, exactly as Mastodon does (request.rb:240): Fedify's
 * verifier reads `host` from the request's Host header, so this verifies on a node listening on a
 * non-default port; `hostHeader: "with-port"` sends host:port instead.
 */

export interface FakeMastodonOptions {
  readonly username?: string;
  /** More accounts on the same server (e.g. ["bob"]), reachable with `account(username)`. */
  readonly otherUsers?: readonly string[];
  /** "snowflake": 4.5+ `/ap/users/<id>` ids; "legacy": `/users/<username>` (accounts before 4.5). */
  readonly idStyle?: "snowflake" | "legacy";
  /** Which version's covered-header order to sign with (mastodon-signature.ts). Default 4.3, as the issue names. */
  readonly version?: MastodonVersion;
  readonly hostHeader?: HttpOptions["hostHeader"];
  /** Mastodon ≥ 4.5 accepts RFC 9421 signatures; false makes it answer them 401 like 4.4. */
  readonly acceptRfc9421?: boolean;
  /** AUTHORIZED_FETCH=true: GETs of Alice and her collections need a verified signature (docs/mastodon.md#signatures). */
  readonly authorizedFetch?: boolean;
}

export interface Delivery {
  readonly index: number;
  readonly path: string;
  readonly inbox: "personal" | "shared" | "instance";
  readonly verification: Verification;
  readonly verified: boolean;
  readonly keyId: string | undefined;
  readonly activity: Record<string, unknown> | undefined;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** What Mastodon would refuse or degrade in this activity (mastodon-rules.ts); empty when all is well. */
  readonly problems: readonly string[];
  readonly status: number;
}

export interface ReceivedGet {
  readonly path: string;
  readonly signature: string | undefined;
  readonly accept: string | undefined;
  readonly status: number;
}

export interface FakeMastodon extends MastodonAccount {
  readonly origin: string;
  readonly domain: string;
  readonly instanceActorId: string;
  /** Alice's personal inbox and the server's shared inbox. */
  readonly inbox: string;
  readonly sharedInbox: string;
  readonly deliveries: readonly Delivery[];
  readonly gets: readonly ReceivedGet[];
  /** Another account on this server (see `otherUsers`). */
  account(username: string): MastodonAccount;
  /** Serves `document` at `path` (a planted actor or key document) as application/activity+json. */
  serve(path: string, document: Record<string, unknown>): void;
  waitForDelivery(what: string, predicate: (delivery: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const AP_TYPE = "application/activity+json; charset=utf-8";

/** An RSA-2048 key pair, as Mastodon's Keypair generates (keypair.rb). */
export function rsaKeys(): { signer: (keyId: string) => Signer; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return { signer: (keyId) => ({ keyId, privateKey }), pem };
}

export async function createFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  const username = options.username ?? "alice";
  const server = createServer((req, res) => void handle(req, res));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const domain = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const origin = `http://${domain}`;
  const instanceKeys = rsaKeys();
  const http: HttpOptions = { version: options.version ?? "4.3", userAgent: `Mastodon/4.6.0 (http.rb/5.3.1; +${origin}/)`, hostHeader: options.hostHeader ?? "without-port" };
  const instanceSigner = instanceKeys.signer(`${origin}/actor#main-key`);
  const verifyContext: VerifyContext = { instanceSigner, http, acceptRfc9421: options.acceptRfc9421 ?? true, acceptedActors: new Set() };
  const accounts = new Map<string, { path: string; account: MastodonAccount }>();
  for (const [index, name] of [username, ...(options.otherUsers ?? [])].entries()) {
    const path = options.idStyle === "legacy" ? `/users/${name}` : `/ap/users/${snowflake(Date.parse("2025-11-20T00:00:00Z"), 4242 + index)}`;
    const keys = rsaKeys();
    const info: AccountInfo = {
      origin,
      domain,
      id: `${origin}${path}`,
      username: name,
      displayName: `${name[0]!.toUpperCase()}${name.slice(1)} Example`,
      summaryHtml: "<p>Solar tinkerer.</p>",
      publicKeyPem: keys.pem,
      published: "2025-11-20T00:00:00Z",
    };
    accounts.set(name, { path, account: createMastodonAccount({ info, signer: keys.signer(`${info.id}#main-key`), instanceSigner, http }) });
  }
  const account = accounts.get(username)!.account;
  const actorId = account.actorId;
  const accountAt = (pathname: string) => [...accounts.values()].find((a) => pathname === a.path || pathname.startsWith(`${a.path}/`));
  const followed = () => new Set([...accounts.values()].flatMap((a) => [...a.account.followedActors()]));
  const deliveries: Delivery[] = [];
  const gets: ReceivedGet[] = [];
  const planted = new Map<string, Record<string, unknown>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", origin);
      if (req.method === "POST") return await receive(req, res, url);
      if (req.method === "GET" || req.method === "HEAD") {
        const status = await serveGet(req, res, url);
        gets.push({ path: url.pathname + url.search, signature: header(req, "signature"), accept: header(req, "accept"), status });
        return;
      }
      res.writeHead(405).end();
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ error: String(error) }));
    }
  }

  async function serveGet(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    const send = (status: number, body: unknown, type = AP_TYPE) => {
      res.writeHead(status, { "Content-Type": type, Vary: "Accept, Accept-Encoding, Origin" }).end(typeof body === "string" ? body : rubyJson(body));
      return status;
    };
    if (url.pathname === "/.well-known/webfinger") return send(...webfinger(url.searchParams.get("resource") ?? ""));
    if (url.pathname === "/actor") return send(200, instanceActorDocument(origin, instanceKeys.pem));
    const plantedDocument = planted.get(url.pathname);
    if (plantedDocument !== undefined) return send(200, plantedDocument);
    const owner = accountAt(url.pathname);
    if (owner === undefined) return send(404, { error: "Record not found" }, "application/json; charset=utf-8");
    if (options.authorizedFetch === true) {
      const verification = await verifyMastodonStyle(verifyContext, "GET", url, headersOf(req), undefined);
      if (!verification.verified) return send(401, { error: verification.error }, "application/json; charset=utf-8");
    }
    const document = url.pathname === owner.path ? personDocument(owner.account.info) : owner.account.document(url.href.replace(/\?.*$/, ""));
    return document === undefined ? send(404, { error: "Record not found" }, "application/json; charset=utf-8") : send(200, document);
  }

  function webfinger(resource: string): [number, unknown, string] {
    const type = "application/jrd+json; charset=utf-8";
    const acct = resource.replace(/^acct:/, "");
    for (const { account: a } of accounts.values()) {
      const name = a.info.username;
      if (acct === `${name}@${domain}` || resource === a.actorId || resource === `${origin}/@${name}`) {
        return [200, webfingerDocument(origin, domain, name, a.actorId, `${origin}/@${name}`), type];
      }
    }
    if (acct === `mastodon.internal@${domain}` || resource === `${origin}/actor`) {
      return [200, webfingerDocument(origin, domain, "mastodon.internal", `${origin}/actor`, `${origin}/about/more?instance_actor=true`), type];
    }
    return [404, { error: "Record not found" }, "application/json; charset=utf-8"];
  }

  /** ActivityPub::InboxesController: 413 over 1 MB, 401 `{"error"}` unless signed, 202 before processing. */
  async function receive(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const owner = accountAt(url.pathname);
    const kind = url.pathname === "/inbox" ? "shared" : owner !== undefined && url.pathname === `${owner.path}/inbox` ? "personal" : url.pathname === "/actor/inbox" ? "instance" : undefined;
    if (kind === undefined) {
      res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "Record not found" }));
      return;
    }
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY) {
      res.writeHead(413, { Connection: "close" }).end();
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req) {
      total += (chunk as Buffer).byteLength;
      if (total > MAX_BODY) {
        res.writeHead(413, { Connection: "close" }).end();
        req.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const headers = headersOf(req);
    const verification = await verifyMastodonStyle(verifyContext, "POST", url, headers, body);
    let activity: Record<string, unknown> | undefined;
    try {
      activity = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      activity = undefined;
    }
    let status = 202;
    let problems: string[] = [];
    if (!verification.verified) status = 401;
    else if (activity === undefined) status = 400;
    else {
      problems = activityProblems(activity, verification.keyOwner, followed());
      // An activity whose actor is not the signer is dropped, still with 202 (process_activity_service.rb:36-58).
      if (idOf(activity.actor) === verification.keyOwner) for (const a of accounts.values()) a.account.process(activity);
    }
    deliveries.push({
      index: deliveries.length,
      path: url.pathname,
      inbox: kind,
      verification,
      verified: verification.verified,
      keyId: verification.keyId,
      activity,
      body: body.toString("utf8"),
      headers: Object.fromEntries(headers),
      problems,
      status,
    });
    if (status === 401) res.writeHead(401, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify({ error: verification.error }));
    else if (status === 400) res.writeHead(400, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify({ error: "Error parsing JSON" }));
    else res.writeHead(202).end();
  }

  return Object.assign(account, {
    origin,
    domain,
    instanceActorId: `${origin}/actor`,
    inbox: `${actorId}/inbox`,
    sharedInbox: `${origin}/inbox`,
    deliveries,
    gets,
    account(name: string) {
      const found = accounts.get(name);
      if (found === undefined) throw new Error(`the fake Mastodon has no account ${name}`);
      return found.account;
    },
    serve(path: string, document: Record<string, unknown>) {
      planted.set(path, document);
    },
    async waitForDelivery(what: string, predicate: (delivery: Delivery) => boolean, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = deliveries.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) {
          const seen = deliveries.map((d) => `#${d.index} ${d.path} ${String(d.activity?.type)} ${d.verification.spec} ${d.status} ${d.verification.error ?? ""}`);
          throw new Error(`fake Mastodon: no ${what} within ${timeoutMs} ms; received:\n${seen.join("\n") || "(nothing)"}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

export type { RawResponse, Signer };
