import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";

const AP = "application/activity+json";
let node: TestNode;
before(async () => {
  node = await createTestNode({ NODE_NAME: "Bike Kitchen Lyon", NODE_DESCRIPTION: "Repair <b>café</b> & co-op", REGISTRATION: "open" });
});
after(async () => {
  await node.close();
});

describe("home page", () => {
  test("shows the node's name and description, escaped", async () => {
    const res = await node.http.get("/").set("Accept", "text/html").expect(200).expect("content-type", /text\/html/);
    assert.match(res.text, /<h1 class="node-name">Bike Kitchen Lyon<\/h1>/);
    assert.match(res.text, /<p class="node-description">Repair &lt;b&gt;café&lt;\/b&gt; &amp; co-op<\/p>/);
    assert.match(res.text, /<title>Bike Kitchen Lyon<\/title>/);
  });
});

describe("NodeInfo", () => {
  test("/.well-known/nodeinfo links to NodeInfo 2.1", async () => {
    const res = await node.http.get("/.well-known/nodeinfo").expect(200);
    assert.deepEqual(
      res.body.links.map((l: { rel: string; href: string }) => [l.rel, l.href]),
      [["http://nodeinfo.diaspora.software/ns/schema/2.1", "https://city-a.test/nodeinfo/2.1"]],
    );
  });

  test("NodeInfo 2.1 describes the software, usage, registrations and the node actor", async () => {
    const res = await node.http.get("/nodeinfo/2.1").expect(200);
    const version = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
    assert.equal(res.body.version, "2.1");
    assert.deepEqual(res.body.software.name, "commonsnet");
    assert.equal(res.body.software.version, version);
    assert.deepEqual(res.body.protocols, ["activitypub"]);
    assert.equal(res.body.openRegistrations, true);
    assert.equal(res.body.usage.users.total, 0);
    assert.equal(res.body.usage.localPosts, 0);
    assert.equal(res.body.metadata.nodeName, "Bike Kitchen Lyon");
    assert.equal(res.body.metadata.nodeActor, "https://city-a.test/@node");
  });
});

describe("WebFinger", () => {
  test("answers for the node's own actor", async () => {
    const res = await node.http.get("/.well-known/webfinger").query({ resource: "acct:node@city-a.test" }).expect(200);
    assert.equal(res.body.subject, "acct:node@city-a.test");
    const self = res.body.links.find((l: { rel: string }) => l.rel === "self");
    assert.deepEqual(self, { rel: "self", href: "https://city-a.test/@node", type: AP });
  });

  test("answers for the actor URL too, and 404 for unknown handles or other hosts", async () => {
    const byUrl = await node.http.get("/.well-known/webfinger").query({ resource: "https://city-a.test/@node" }).expect(200);
    const self = byUrl.body.links.find((l: { rel: string }) => l.rel === "self");
    assert.equal(self?.href, "https://city-a.test/@node");
    await node.http.get("/.well-known/webfinger").query({ resource: "acct:nobody@city-a.test" }).expect(404);
    await node.http.get("/.well-known/webfinger").query({ resource: "acct:node@elsewhere.test" }).expect(404);
  });
});

describe("the node actor", () => {
  test("is an Application with inbox, shared inbox, an RSA-2048 key and an Ed25519 multikey", async () => {
    const res = await node.http.get("/@node").set("Accept", AP).expect(200).expect("content-type", /activity\+json/);
    const actor = JSON.parse(res.text);
    assert.equal(actor.id, "https://city-a.test/@node");
    assert.equal(actor.type, "Application");
    assert.equal(actor.preferredUsername, "node");
    assert.equal(actor.name, "Bike Kitchen Lyon");
    assert.equal(actor.inbox, "https://city-a.test/@node/inbox");
    assert.equal(actor.outbox, "https://city-a.test/@node/outbox");
    // Peer nodes follow the node actor: its followers collection is theirs.
    assert.equal(actor.followers, "https://city-a.test/@node/followers");
    assert.equal(actor.featured, "https://city-a.test/@node/featured");
    assert.equal(actor.endpoints.sharedInbox, "https://city-a.test/inbox");
    assert.equal(actor.url, "https://city-a.test/@node");
    assert.equal(actor.publicKey.id, "https://city-a.test/@node#main-key");
    assert.equal(actor.publicKey.owner, actor.id);
    assert.equal(createPublicKey(actor.publicKey.publicKeyPem).asymmetricKeyDetails?.modulusLength, 2048);
    const multikeys = actor.assertionMethod.filter((k: { type: string }) => k.type === "Multikey");
    assert.equal(multikeys.length, 2);
    assert.ok(multikeys.some((k: { publicKeyMultibase: string }) => k.publicKeyMultibase.startsWith("z6Mk")), "an Ed25519 multikey");
    assert.ok(!JSON.stringify(actor).includes('"d":'), "no private key material");
  });

  test("the same URL serves HTML to browsers", async () => {
    const res = await node.http.get("/@node").set("Accept", "text/html,application/xhtml+xml").expect(200);
    assert.match(res.headers["content-type"]!, /text\/html/);
    assert.match(res.text, /<h1 class="actor-name">Bike Kitchen Lyon<\/h1>/);
    assert.match(res.text, /<link rel="alternate" type="application\/activity\+json" href="https:\/\/city-a.test\/@node">/);
  });

  test("application/ld+json with the ActivityStreams profile is answered as ActivityPub", async () => {
    const res = await node.http
      .get("/@node")
      .set("Accept", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"')
      .expect(200);
    assert.equal(JSON.parse(res.text).type, "Application");
  });

  test("an unknown actor is 404 in both forms", async () => {
    await node.http.get("/@nobody").set("Accept", AP).expect(404);
    const html = await node.http.get("/@nobody").set("Accept", "text/html").expect(404);
    assert.match(html.text, /Not found/);
  });

  test("its outbox is an empty collection", async () => {
    const res = await node.http.get("/@node/outbox").set("Accept", AP).expect(200);
    const outbox = JSON.parse(res.text);
    assert.equal(outbox.type, "OrderedCollection");
    assert.equal(outbox.totalItems, 0);
  });
});

describe("/healthz", () => {
  test("reports the database and the queues", async () => {
    const res = await node.http.get("/healthz").expect(200);
    assert.equal(res.body.status, "ok");
    assert.equal(res.body.database.ok, true);
    assert.equal(res.body.database.engine, node.database.engine);
    assert.deepEqual(Object.keys(res.body.queues).sort(), ["fanout", "inbox", "outbox"]);
    assert.equal(res.body.queues.outbox.queued, 0);
    assert.equal(res.body.outboxPending, 0);
  });
});

describe("unsigned or malformed inbox traffic", () => {
  test("an unsigned POST to the shared inbox is refused with 401", async () => {
    const res = await node.http
      .post("/inbox")
      .set("Content-Type", AP)
      .send(JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", type: "Follow", id: "https://evil.test/1", actor: "https://evil.test/u", object: "https://city-a.test/@node" }));
    assert.equal(res.status, 401);
  });
});
