import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getAuthenticatedDocumentLoader, verifyRequestDetailed } from "@fedify/fedify";

/**
 * A Mastodon-like peer on 127.0.0.1 for end-to-end tests: it serves a Person and an instance actor
 * with real RSA keys and records every POST to its inboxes after verifying the HTTP signature for
 * real (Fedify's verifier, either spec). Like Mastodon in secure mode, it fetches the sender's key
 * with a GET signed by its instance actor (app/lib/request.rb, "actor#main-key").
 */

export interface Delivery {
  readonly index: number;
  readonly path: string;
  /** "rfc9421" when the request carried Signature-Input, else draft-cavage (or none). */
  readonly spec: "rfc9421" | "draft-cavage-http-signatures-12" | "none";
  readonly verified: boolean;
  /** The verified key's id; undefined when verification failed. */
  readonly keyId: string | undefined;
  /** Why verification failed (Fedify's reason type), if it did. */
  readonly failure: string | undefined;
  readonly activity: Record<string, unknown> | undefined;
  readonly activityId: string | undefined;
  /** The status the peer answered, once it has answered. */
  status: number | undefined;
}

/** Decides the HTTP status of a delivery; may wait (a slow peer) or never resolve (a hung one). */
export type Responder = (delivery: Delivery) => number | Promise<number>;

export interface FakePeer {
  readonly origin: string;
  readonly actorId: string;
  readonly inbox: string;
  readonly sharedInbox: string;
  /** The Person's key, for signing requests as it (`${actorId}#main-key`). */
  readonly keyId: string;
  readonly privateKey: CryptoKey;
  readonly deliveries: readonly Delivery[];
  setResponder(responder: Responder): void;
  waitForDelivery(what: string, predicate: (delivery: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

const DEFAULT_RESPONDER: Responder = (delivery) => (delivery.verified ? 202 : 401);

async function rsaKeyPair(): Promise<{ pair: CryptoKeyPair; pem: string }> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const spki = Buffer.from(await crypto.subtle.exportKey("spki", pair.publicKey)).toString("base64");
  const pem = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
  return { pair, pem };
}

// Mastodon's actor @context (app/serializers/activitypub/actor_serializer.rb), trimmed to what is used.
const MASTODON_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  { manuallyApprovesFollowers: "as:manuallyApprovesFollowers", toot: "http://joinmastodon.org/ns#", discoverable: "toot:discoverable", indexable: "toot:indexable" },
];

function actorDocument(origin: string, path: string, type: "Person" | "Application", username: string, pem: string) {
  const id = `${origin}${path}`;
  return {
    "@context": MASTODON_CONTEXT,
    id,
    type,
    preferredUsername: username,
    name: type === "Person" ? "Alice (fake peer)" : undefined,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    followers: type === "Person" ? `${id}/followers` : undefined,
    url: type === "Person" ? `${origin}/@${username}` : `${origin}/about/more?instance_actor=true`,
    manuallyApprovesFollowers: type === "Application",
    discoverable: type === "Person",
    indexable: false,
    published: "2024-01-01T00:00:00Z",
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: pem },
    endpoints: { sharedInbox: `${origin}/inbox` },
  };
}

export async function createFakePeer(username = "alice"): Promise<FakePeer> {
  const user = await rsaKeyPair();
  const instance = await rsaKeyPair();
  const server = createServer((req, res) => void handle(req, res));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actorPath = `/users/${username}`;
  const documents = new Map<string, object>([
    [actorPath, actorDocument(origin, actorPath, "Person", username, user.pem)],
    ["/actor", actorDocument(origin, "/actor", "Application", new URL(origin).host, instance.pem)],
  ]);
  const documentLoader = getAuthenticatedDocumentLoader(
    { keyId: new URL(`${origin}/actor#main-key`), privateKey: instance.pair.privateKey },
    { allowPrivateAddress: true },
  );
  const deliveries: Delivery[] = [];
  let responder = DEFAULT_RESPONDER;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", origin);
      const document = documents.get(url.pathname);
      if (req.method === "GET" && document !== undefined) {
        res.writeHead(200, { "Content-Type": "application/activity+json" }).end(JSON.stringify(document));
        return;
      }
      if (req.method === "POST" && (url.pathname === `${actorPath}/inbox` || url.pathname === "/inbox")) {
        const delivery = await record(req, url);
        const status = await responder(delivery);
        delivery.status = status;
        res.writeHead(status).end();
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    }
  }

  async function record(req: IncomingMessage, url: URL): Promise<Delivery> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const request = new Request(url, { method: "POST", headers, body });
    const result = await verifyRequestDetailed(request, { documentLoader });
    let activity: Record<string, unknown> | undefined;
    try {
      activity = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      activity = undefined;
    }
    const spec = headers.has("signature-input") ? "rfc9421" : headers.has("signature") ? "draft-cavage-http-signatures-12" : "none";
    const delivery: Delivery = {
      index: deliveries.length,
      path: url.pathname,
      spec,
      verified: result.verified,
      keyId: result.verified ? result.key.id?.href : undefined,
      failure: result.verified ? undefined : result.reason.type,
      activity,
      activityId: typeof activity?.id === "string" ? activity.id : undefined,
      status: undefined,
    };
    deliveries.push(delivery);
    return delivery;
  }

  return {
    origin,
    actorId: `${origin}${actorPath}`,
    inbox: `${origin}${actorPath}/inbox`,
    sharedInbox: `${origin}/inbox`,
    keyId: `${origin}${actorPath}#main-key`,
    privateKey: user.pair.privateKey,
    deliveries,
    setResponder(next) {
      responder = next;
    },
    async waitForDelivery(what, predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = deliveries.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) {
          const seen = deliveries.map((d) => `#${d.index} ${d.activityId} ${d.spec} verified=${d.verified} ${d.failure ?? ""} → ${d.status}`);
          throw new Error(`Fake peer: timed out after ${timeoutMs} ms waiting for ${what}; received:\n${seen.join("\n")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
