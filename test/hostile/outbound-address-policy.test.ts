import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../server/platform/config.ts";
import { addressPolicyFor, PUBLIC_ONLY } from "../../server/platform/outbound-http/address-policy.ts";
import { AddressRefusedError, findAddressRefusal } from "../../server/platform/outbound-http/guarded-connector.ts";
import { dispatcherFor, withOutboundPolicy } from "../../server/platform/outbound-http/outbound-dispatcher.ts";

/** What a loopback "internal service" saw: method and path of every request that reached it. */
const hits: string[] = [];
let server: Server;
let port: number;

before(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url === "/inbox") res.writeHead(308, { Location: "/latest/meta-data/" }).end();
    else if (req.url === "/moved") res.writeHead(302, { Location: "/allowed-again" }).end();
    else res.writeHead(200, { "Content-Type": "text/plain" }).end("secret");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
});

const loopbackOnly = addressPolicyFor(loadConfig({ NODE_ENV: "test", PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8" }));
const viaAgent = (url: string, policy = loopbackOnly, init: RequestInit = {}) => fetch(url, { ...init, dispatcher: dispatcherFor(policy) } as RequestInit);

async function refusal(promise: Promise<unknown>): Promise<AddressRefusedError> {
  const error = await promise.then(
    () => assert.fail("the request went through"),
    (e: unknown) => e,
  );
  const refused = findAddressRefusal(error);
  assert.ok(refused !== undefined, `expected an address refusal, got ${String(error)}`);
  return refused;
}

describe("the outbound address policy", () => {
  test("PRIVATE_ADDRESS_ALLOW=127.0.0.0/8 reaches loopback, and 169.254.169.254 stays unreachable", async () => {
    const ok = await viaAgent(`http://127.0.0.1:${port}/allowed`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "secret");
    const refused = await refusal(viaAgent("http://169.254.169.254/latest/meta-data/"));
    assert.equal(refused.address, "169.254.169.254");
    // Fedify's own fetches (deliveries, WebFinger) take the global fetch: the node's scope applies there too.
    await refusal(withOutboundPolicy(loopbackOnly, () => fetch("http://169.254.169.254/latest/meta-data/")));
  });

  test("a host name that resolves to a private address is refused when the socket opens, and nothing arrives", async () => {
    const before = hits.length;
    const refused = await refusal(viaAgent(`http://localhost:${port}/by-name`, PUBLIC_ONLY));
    assert.equal(refused.host, "localhost");
    assert.match(refused.message, /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/);
    await refusal(withOutboundPolicy(PUBLIC_ONLY, () => fetch(`http://localhost:${port}/by-name-global`)));
    assert.equal(hits.length, before, "the loopback server received nothing");
  });

  test("every spelling of a non-public address is refused in production", async () => {
    const production = addressPolicyFor(loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://node.example" }));
    const before = hits.length;
    for (const host of ["127.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "2130706433", "0x7f.1", "0.0.0.0", "[::]", "[::1]", "10.0.0.1", "100.64.0.1", "[fd00::1]", "[fe80::1]", "[64:ff9b::a9fe:a9fe]"]) {
      await refusal(viaAgent(`http://${host}:${port}/literal`, production));
    }
    assert.equal(hits.length, before, "the loopback server received nothing");
  });

  test("a POST answered with a redirect is not followed, even where the target is allowed", async () => {
    const before = hits.length;
    const response = await viaAgent(`http://127.0.0.1:${port}/inbox`, loopbackOnly, { method: "POST", body: "{}", headers: { "Content-Type": "application/activity+json" } });
    assert.equal(response.status, 308);
    assert.equal(response.headers.get("location"), null);
    assert.deepEqual(hits.slice(before), ["POST /inbox"], "/latest/meta-data/ received nothing");
  });

  test("GETs still follow redirects to allowed addresses", async () => {
    const before = hits.length;
    const response = await viaAgent(`http://127.0.0.1:${port}/moved`);
    assert.equal(response.status, 200);
    assert.deepEqual(hits.slice(before), ["GET /moved", "GET /allowed-again"]);
  });

  test("the configuration: ranges are checked, ALLOW_PRIVATE_ADDRESS means every range", () => {
    assert.throws(() => loadConfig({ PRIVATE_ADDRESS_ALLOW: "127.0.0.0/33" }), /PRIVATE_ADDRESS_ALLOW: '127\.0\.0\.0\/33' is not an IP range/);
    assert.throws(() => loadConfig({ PRIVATE_ADDRESS_ALLOW: "localhost" }), /PRIVATE_ADDRESS_ALLOW: 'localhost' is not an IP range/);
    const named = addressPolicyFor(loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://node.example", PRIVATE_ADDRESS_ALLOW: "10.1.0.0/16, fd00::/8" }));
    assert.equal(named.permits("10.1.2.3"), true);
    assert.equal(named.permits("10.2.0.1"), false);
    assert.equal(named.permits("fd00::5"), true);
    assert.equal(named.permits("127.0.0.1"), false);
    const everything = addressPolicyFor(loadConfig({ NODE_ENV: "development", ALLOW_PRIVATE_ADDRESS: "true" }));
    for (const address of ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fd00::1"]) assert.equal(everything.permits(address), true, address);
  });
});
