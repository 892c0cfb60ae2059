import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { signRequest, verifyRequestDetailed } from "@fedify/fedify";
import type { TestNode } from "../../helpers/test-node.ts";

/**
 * A small Mastodon-like peer on loopback (127.0.0.1 unless told otherwise) for inbox tests. It serves Person actors with RSA-2048 keys
 * (and any extra document a test plants, e.g. a key claiming someone else), signs the activities it
 * POSTs the way Mastodon does (draft-cavage rsa-sha256 over every header it sends, with a
 * `Digest: SHA-256=` of the raw body, docs/mastodon.md#signatures) and records what it receives after
 * verifying the signature for real. Documents of the node under test are fetched through its app,
 * since the node listens on no socket.
 */

export interface PeerActor {
  readonly name: string;
  readonly id: string;
  readonly keyId: string;
  readonly inbox: string;
  readonly privateKey: CryptoKey;
  readonly publicKeyPem: string;
  /** The actor document served at `id` (tests may change it before it is fetched). */
  document: Record<string, unknown>;
}

export interface Received {
  readonly path: string;
  readonly verified: boolean;
  readonly keyId: string | undefined;
  readonly activity: Record<string, unknown>;
}

export interface SigningPeer {
  readonly origin: string;
  readonly actors: Record<string, PeerActor>;
  readonly received: Received[];
  /** Serves `document` at `path` with `contentType` (default application/activity+json). */
  serve(path: string, document: unknown, contentType?: string): void;
  /** Answers GETs of `path` with `status` and no body (e.g. 410 for a deleted actor). */
  fail(path: string, status: number): void;
  /** Adds a Person with a fresh key. */
  addActor(name: string): Promise<PeerActor>;
  /** A POST of `activity` to `url`, signed as `signer` (or with an explicit key). */
  signedPost(url: string, activity: unknown, signer: PeerActor | { keyId: string; privateKey: CryptoKey }): Promise<Request>;
  waitFor(what: string, predicate: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function rsaKeyPair(): Promise<{ privateKey: CryptoKey; publicKeyPem: string }> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const spki = Buffer.from(await crypto.subtle.exportKey("spki", pair.publicKey)).toString("base64");
  return { privateKey: pair.privateKey, publicKeyPem: `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n` };
}

const CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];

export interface SigningPeerOptions {
  /**
   * Loopback address to listen on (default 127.0.0.1). Charters compare hosts without ports, so two
   * peers a charter must tell apart need two addresses (127.0.0.2 and so on, all loopback on Linux).
   */
  readonly address?: string;
  /** Host name written in the peer's ids instead of the address (e.g. `localhost.`), for spelling attacks. */
  readonly hostname?: string;
}

export async function createSigningPeer(node: TestNode, names: readonly string[] = ["alice"], options: SigningPeerOptions = {}): Promise<SigningPeer> {
  const documents = new Map<string, { body: string; type: string }>();
  const failures = new Map<string, number>();
  const received: Received[] = [];
  const server = createServer((req, res) => void handle(req, res));
  const address = options.address ?? "127.0.0.1";
  server.listen(0, address);
  await once(server, "listening");
  const origin = `http://${options.hostname ?? address}:${(server.address() as AddressInfo).port}`;
  const nodeOrigin = node.config.publicUrl.origin;

  // Fetches the node's documents through its app, everything else over the network.
  const documentLoader = async (url: string) => {
    const response = new URL(url).origin === nodeOrigin
      ? await node.app.fetch(new Request(url, { headers: { Accept: "application/activity+json" } }))
      : await fetch(url, { headers: { Accept: "application/activity+json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status} fetching ${url}`);
    return { contextUrl: null, document: await response.json(), documentUrl: url };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const served = documents.get(url.pathname);
    const failure = failures.get(url.pathname);
    if (req.method === "GET" && failure !== undefined) {
      res.writeHead(failure).end();
      return;
    }
    if (req.method === "GET" && served !== undefined) {
      res.writeHead(200, { "Content-Type": served.type }).end(served.body);
      return;
    }
    if (req.method === "POST" && url.pathname.endsWith("/inbox")) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      const result = await verifyRequestDetailed(new Request(url, { method: "POST", headers, body }), { documentLoader });
      received.push({
        path: url.pathname,
        verified: result.verified,
        keyId: result.verified ? result.key.id?.href : undefined,
        activity: JSON.parse(body.toString("utf8")) as Record<string, unknown>,
      });
      res.writeHead(result.verified ? 202 : 401).end();
      return;
    }
    res.writeHead(404).end();
  }

  const peer: SigningPeer = {
    origin,
    actors: {},
    received,
    serve(path, document, contentType = "application/activity+json") {
      documents.set(path, { body: typeof document === "string" ? document : JSON.stringify(document), type: contentType });
    },
    fail(path, status) {
      failures.set(path, status);
    },
    async addActor(name) {
      const { privateKey, publicKeyPem } = await rsaKeyPair();
      const id = `${origin}/users/${name}`;
      const path = `/users/${name}`;
      peer.serve(path, {
        "@context": CONTEXT,
        id,
        type: "Person",
        preferredUsername: name,
        name: `${name} (peer)`,
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        followers: `${id}/followers`,
        url: `${origin}/@${name}`,
        publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem },
        endpoints: { sharedInbox: `${origin}/inbox` },
      });
      const actor = { name, id, keyId: `${id}#main-key`, inbox: `${id}/inbox`, privateKey, publicKeyPem } as PeerActor;
      // Served live, so a test can change the document (an edited profile, a removed key).
      Object.defineProperty(actor, "document", {
        get: () => JSON.parse(documents.get(path)!.body) as Record<string, unknown>,
        set: (value: unknown) => peer.serve(path, value),
      });
      peer.actors[name] = actor;
      return actor;
    },
    async signedPost(url, activity, signer) {
      const body = new TextEncoder().encode(typeof activity === "string" ? activity : JSON.stringify(activity));
      const request = new Request(url, {
        method: "POST",
        headers: { "Content-Type": "application/activity+json", "User-Agent": "Mastodon/4.5.0 (signing peer)" },
        body,
      });
      return await signRequest(request, signer.privateKey, new URL(signer.keyId), { spec: "draft-cavage-http-signatures-12", body: body.buffer as ArrayBuffer });
    },
    async waitFor(what, predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`Peer: timed out waiting for ${what}; received ${JSON.stringify(received.map((r) => r.activity.type))}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
  for (const name of names) await peer.addActor(name);
  return peer;
}

/**
 * Sends a signed request to the node through supertest (real HTTP parsing), exactly as signed:
 * same bytes, same headers, `Host` as the signature covers it.
 */
export async function deliver(node: TestNode, request: Request): Promise<{ status: number; text: string }> {
  const url = new URL(request.url);
  // A string, not a Buffer: superagent JSON-serialises Buffers sent with a JSON content type.
  const body = new TextDecoder().decode(await request.arrayBuffer());
  let call = node.http.post(url.pathname + url.search);
  for (const [name, value] of request.headers) call = call.set(name, value);
  const res = await call.send(body);
  return { status: res.status, text: res.text };
}
