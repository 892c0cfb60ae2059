import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { MemoryKvStore, verifyRequest } from "@fedify/fedify";
import {
  createLoaderFactories,
  FETCH_TIMEOUT_MS,
  type FetchPolicy,
  fetchPolicyFor,
  isActivityPubContentType,
  MAX_DOCUMENT_BYTES,
} from "../../federation/document-loader.ts";
import { loadConfig } from "../../server/platform/config.ts";
import { createAddressPolicy, PUBLIC_ONLY } from "../../server/platform/outbound-http/address-policy.ts";
import { rsaKeyPair } from "./helpers/signing-peer.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
let origin: string;
let server: ReturnType<typeof createServer>;

before(async () => {
  server = createServer((req, res) => {
    const handler = routes.get(new URL(req.url ?? "/", "http://x").pathname);
    if (handler === undefined) res.writeHead(404).end();
    else handler(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
});

const AP = "application/activity+json";
const note = (path: string) => ({ "@context": "https://www.w3.org/ns/activitystreams", id: `${origin}${path}`, type: "Note", content: "hi" });
const serveJson = (path: string, type: string, body: unknown = note(path)) =>
  routes.set(path, (_req, res) => res.writeHead(200, { "Content-Type": type }).end(JSON.stringify(body)));

const policy: FetchPolicy = { addresses: createAddressPolicy(["127.0.0.0/8"]), userAgent: "Commonsnet/test (+https://city-a.test/)", timeoutMs: 500 };
const loaders = (p: FetchPolicy = policy) => createLoaderFactories(p, new MemoryKvStore());

describe("the document loader's limits", () => {
  test("defaults: 1 MB and 10 s, like Mastodon", () => {
    assert.equal(MAX_DOCUMENT_BYTES, 1024 * 1024);
    assert.equal(FETCH_TIMEOUT_MS, 10_000);
  });

  test("accepts application/activity+json and ld+json with the ActivityStreams profile", async () => {
    serveJson("/ok-activity", "application/activity+json; charset=utf-8");
    serveJson("/ok-ld", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"');
    const load = loaders().documentLoaderFactory();
    assert.equal(((await load(`${origin}/ok-activity`)).document as { type: string }).type, "Note");
    assert.equal(((await load(`${origin}/ok-ld`)).document as { type: string }).type, "Note");
  });

  test("refuses other content types: application/json, plain ld+json, text/plain, text/html", async () => {
    const load = loaders().documentLoaderFactory();
    for (const [path, type] of [["/json", "application/json"], ["/ld", "application/ld+json"], ["/text", "text/plain"], ["/html", "text/html"]] as const) {
      serveJson(path, type);
      await assert.rejects(load(`${origin}${path}`), /Not an ActivityPub document/, `${type} must be refused`);
    }
  });

  test("the content-type rule is Mastodon's", () => {
    assert.equal(isActivityPubContentType("application/activity+json"), true);
    assert.equal(isActivityPubContentType('application/ld+json;profile="https://www.w3.org/ns/activitystreams https://example/x"'), true);
    assert.equal(isActivityPubContentType('application/ld+json; profile="https://example/other"'), false);
    assert.equal(isActivityPubContentType(null), false);
  });

  test("refuses a document over the cap, by Content-Length", async () => {
    const big = { ...note("/big"), content: "x".repeat(MAX_DOCUMENT_BYTES) };
    serveJson("/big", AP, big);
    await assert.rejects(loaders().documentLoaderFactory()(`${origin}/big`), /larger than 1048576 bytes/);
  });

  test("refuses a document over the cap without Content-Length (chunked)", async () => {
    let written = 0;
    routes.set("/chunked", (_req, res) => {
      res.writeHead(200, { "Content-Type": AP });
      res.write('{"content":"');
      const more = () => {
        while (written < 2 * MAX_DOCUMENT_BYTES) {
          written += 64 * 1024;
          if (!res.write("x".repeat(64 * 1024))) return void res.once("drain", more);
        }
        res.end('"}');
      };
      more();
    });
    await assert.rejects(loaders().documentLoaderFactory()(`${origin}/chunked`), /larger than 1048576 bytes/);
  });

  test("a server that drips its body times out", async () => {
    routes.set("/slow", (_req, res) => {
      res.writeHead(200, { "Content-Type": AP });
      const timer = setInterval(() => res.write(" "), 100);
      res.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    await assert.rejects(loaders().documentLoaderFactory()(`${origin}/slow`), /Timed out after 500 ms/);
    assert.ok(Date.now() - started < 3000);
  });

  test("a server that never answers times out", async () => {
    routes.set("/hang", () => {});
    await assert.rejects(loaders().documentLoaderFactory()(`${origin}/hang`), /Timed out after 500 ms/);
  });

  test("private addresses are refused unless allowed; redirects are followed", async () => {
    serveJson("/private", AP);
    const strict = loaders({ ...policy, addresses: PUBLIC_ONLY });
    await assert.rejects(strict.documentLoaderFactory()(`${origin}/private`), /127\.0\.0\.1 is not a public address/);
    await assert.rejects(strict.documentLoaderFactory()(origin.replace("127.0.0.1", "localhost") + "/private"), /localhost resolves to (127\.0\.0\.1|::1), which is not a public address/);
    const { privateKey } = await rsaKeyPair();
    await assert.rejects(strict.authenticatedDocumentLoaderFactory({ keyId: new URL("https://city-a.test/@node#main-key"), privateKey })(`${origin}/private`), /not a public address/i);
    routes.set("/redirect", (_req, res) => res.writeHead(302, { Location: `${origin}/private` }).end());
    assert.equal(((await loaders().documentLoaderFactory()(`${origin}/redirect`)).documentUrl), `${origin}/private`);
  });

  test("the config's policy: private ranges only as named, our User-Agent", () => {
    const production = fetchPolicyFor(loadConfig({ PUBLIC_URL: "https://node.example", NODE_ENV: "production" }));
    assert.equal(production.addresses.permits("127.0.0.1"), false);
    assert.equal(production.addresses.permits("93.184.216.34"), true);
    assert.match(production.userAgent, /^Commonsnet\/\d+\.\d+\.\d+ .*\+https:\/\/node\.example\/\)$/);
    const loopback = fetchPolicyFor(loadConfig({ NODE_ENV: "test", PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8" })).addresses;
    assert.equal(loopback.permits("127.0.0.1"), true);
    assert.equal(loopback.permits("169.254.169.254"), false);
    assert.equal(fetchPolicyFor(loadConfig({ NODE_ENV: "test", ALLOW_PRIVATE_ADDRESS: "true" })).addresses.permits("10.1.2.3"), true);
  });

  test("sends our User-Agent and asks for ActivityPub", async () => {
    let seen: IncomingMessage["headers"] = {};
    routes.set("/headers", (req, res) => {
      seen = req.headers;
      res.writeHead(200, { "Content-Type": AP }).end(JSON.stringify(note("/headers")));
    });
    await loaders().documentLoaderFactory()(`${origin}/headers`);
    assert.equal(seen["user-agent"], policy.userAgent);
    assert.match(String(seen.accept), /application\/activity\+json/);
  });

  test("the authenticated loader signs its GETs (draft-cavage), with the same limits", async () => {
    const { privateKey, publicKeyPem } = await rsaKeyPair();
    const keyId = `${origin}/signer#main-key`;
    serveJson("/signer", AP, {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: `${origin}/signer`,
      type: "Application",
      publicKey: { id: keyId, owner: `${origin}/signer`, publicKeyPem },
    });
    let verified: unknown = "not called";
    routes.set("/secure", (req, res) => {
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      void verifyRequest(new Request(new URL(req.url!, origin), { headers }), { documentLoader: loaders().documentLoaderFactory() }).then((key) => {
        verified = key?.id?.href ?? null;
        if (key === null) res.writeHead(401).end();
        else res.writeHead(200, { "Content-Type": AP }).end(JSON.stringify(note("/secure")));
      });
    });
    // The peer verifies with a fetch of its own while ours waits: give it room on a loaded machine (the deadline has its own tests).
    const signed = loaders({ ...policy, timeoutMs: 15_000 }).authenticatedDocumentLoaderFactory({ keyId: new URL(keyId), privateKey });
    assert.equal(((await signed(`${origin}/secure`)).document as { id: string }).id, `${origin}/secure`);
    assert.equal(verified, keyId);
    serveJson("/secure-json", "application/json");
    await assert.rejects(signed(`${origin}/secure-json`), /Not an ActivityPub document/);
  });

  test("JSON-LD contexts load as application/ld+json; preloaded ones need no fetch", async () => {
    serveJson("/context", "application/ld+json", { "@context": { ex: "https://example/ns#" } });
    const contextLoader = loaders().contextLoaderFactory();
    assert.deepEqual((await contextLoader(`${origin}/context`)).document, { "@context": { ex: "https://example/ns#" } });
    const preloaded = await contextLoader("https://www.w3.org/ns/activitystreams");
    assert.ok((preloaded.document as Record<string, unknown>)["@context"]);
  });
});
