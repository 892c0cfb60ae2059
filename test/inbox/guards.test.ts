import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signJsonLd, signRequest } from "@fedify/fedify";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, startWorkers } from "./helpers/inbox-env.ts";
import { createSigningPeer, deliver, rsaKeyPair, type SigningPeer } from "./helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;
let evil: SigningPeer;
let workers: { stop(): Promise<void> };
let groupIri: string;
let inbox: string;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "bob", "mallory"]);
  evil = await createSigningPeer(node, []);
  const maria = await createMember(node, "maria");
  await createProjectOf(node, maria, "bikekitchen");
  groupIri = `${node.config.publicUrl.origin}/@bikekitchen`;
  inbox = `${groupIri}/inbox`;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await evil.close();
  await node.close();
});

let sequence = 0;
const follow = (actor: string, id = `${new URL(actor).origin}/follows/g${++sequence}`) => ({ "@context": AS, id, type: "Follow", actor, object: groupIri });

async function isFollower(actorIri: string): Promise<boolean> {
  const row = await node.database.db
    .selectFrom("followers")
    .innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id")
    .select("followers.id")
    .where("remote_actors.iri", "=", actorIri)
    .executeTakeFirst();
  return row !== undefined;
}

/** A Signature header that is never verified: the size is checked before the signature. */
const claimedSignature = 'keyId="https://peer.test/users/bob#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA"';

/** Long enough for the inbox queue to have processed anything that was (wrongly) accepted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1200));

describe(`signatures on ${ENGINE_LABEL}`, () => {
  test("an unsigned POST is refused with 401 and nothing is stored", async () => {
    const alice = peer.actors.alice!;
    const res = await node.http.post("/@bikekitchen/inbox").set("Content-Type", "application/activity+json").send(JSON.stringify(follow(alice.id)));
    assert.equal(res.status, 401);
    await settle();
    assert.equal(await isFollower(alice.id), false);
  });

  test("an RFC 9421 signature over the public https URL verifies, though the node is reached over plain http (TLS proxy)", async () => {
    const carol = await peer.addActor("carol");
    const body = JSON.stringify(follow(carol.id));
    // Signed for https://city-a.test/@bikekitchen/inbox, delivered to the node's http listener.
    assert.equal(new URL(inbox).protocol, "https:");
    const request = await signRequest(new Request(inbox, { method: "POST", headers: { "Content-Type": "application/activity+json" }, body }), carol.privateKey, new URL(carol.keyId), { spec: "rfc9421" });
    assert.ok(request.headers.has("signature-input"));
    const res = await deliver(node, request);
    assert.equal(res.status, 202, res.text);
    await eventually("carol following", async () => ((await isFollower(carol.id)) ? true : undefined));
  });

  test("an RFC 9421 signature made for another host is still refused", async () => {
    const mallory = peer.actors.mallory!;
    const body = JSON.stringify(follow(mallory.id));
    const elsewhere = new URL(new URL(inbox).pathname, "https://other-node.test").href;
    const request = await signRequest(new Request(elsewhere, { method: "POST", headers: { "Content-Type": "application/activity+json" }, body }), mallory.privateKey, new URL(mallory.keyId), { spec: "rfc9421" });
    const res = await deliver(node, request);
    assert.equal(res.status, 401, res.text);
    await settle();
    assert.equal(await isFollower(mallory.id), false);
  });

  test("a body changed after signing is refused with 401", async () => {
    const alice = peer.actors.alice!;
    const signed = await peer.signedPost(inbox, follow(alice.id), alice);
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify(follow(alice.id)) });
    assert.equal((await deliver(node, tampered)).status, 401);
  });

  test("mallory signing an activity that claims alice as its actor is refused with 401", async () => {
    const res = await deliver(node, await peer.signedPost(inbox, follow(peer.actors.alice!.id), peer.actors.mallory!));
    assert.equal(res.status, 401);
    await settle();
    assert.equal(await isFollower(peer.actors.alice!.id), false);
  });

  test("G7: a key document on another origin that claims alice as its owner is refused with 401", async () => {
    const alice = peer.actors.alice!;
    const forged = await rsaKeyPair();
    const keyId = `${evil.origin}/keys/1`;
    evil.serve("/keys/1", { "@context": "https://w3id.org/security/v1", id: keyId, type: "CryptographicKey", owner: alice.id, publicKeyPem: forged.publicKeyPem });
    const res = await deliver(node, await peer.signedPost(inbox, follow(alice.id), { keyId, privateKey: forged.privateKey }));
    assert.equal(res.status, 401);
    assert.match(res.text, /not listed by the actor/);
    await settle();
    assert.equal(await isFollower(alice.id), false);
  });

  test("G7: a key in mallory's own actor document that claims alice as its owner is refused with 401", async () => {
    const alice = peer.actors.alice!;
    const mallory = peer.actors.mallory!;
    const forged = await rsaKeyPair();
    const original = mallory.document;
    mallory.document = { ...original, publicKey: { id: `${mallory.id}#alice-key`, owner: alice.id, publicKeyPem: forged.publicKeyPem } };
    const res = await deliver(node, await peer.signedPost(inbox, follow(alice.id), { keyId: `${mallory.id}#alice-key`, privateKey: forged.privateKey }));
    mallory.document = original;
    assert.equal(res.status, 401);
    await settle();
    assert.equal(await isFollower(alice.id), false);
  });

  test("a key at its own URL (GoToSocial style) is accepted when the actor lists it", async () => {
    const gts = await peer.addActor("gts");
    const keyId = `${gts.id}/main-key`;
    gts.document = { ...gts.document, publicKey: { id: keyId, owner: gts.id, publicKeyPem: gts.publicKeyPem } };
    peer.serve(`/users/gts/main-key`, { "@context": "https://w3id.org/security/v1", id: keyId, type: "CryptographicKey", owner: gts.id, publicKeyPem: gts.publicKeyPem });
    const res = await deliver(node, await peer.signedPost(inbox, follow(gts.id), { keyId, privateKey: gts.privateKey }));
    assert.equal(res.status, 202, res.text);
    await eventually("gts to follow", async () => ((await isFollower(gts.id)) ? true : undefined));
  });

  test("a forwarded activity (HTTP-signed by bob) passes on alice's verified LD signature", async () => {
    const alice = peer.actors.alice!;
    const activity = follow(alice.id);
    const contextLoader = node.federation.createContext(node.config.publicUrl, node.deps).contextLoader;
    const signed = await signJsonLd(activity, alice.privateKey, new URL(alice.keyId), { contextLoader });
    const res = await deliver(node, await peer.signedPost(inbox, signed, peer.actors.bob!));
    assert.equal(res.status, 202, res.text);
    await eventually("alice to follow", async () => ((await isFollower(alice.id)) ? true : undefined));
  });

  test("a forwarded activity whose LD signature is by a key the actor does not list is refused", async () => {
    const bob = peer.actors.bob!;
    const forged = await rsaKeyPair();
    const contextLoader = node.federation.createContext(node.config.publicUrl, node.deps).contextLoader;
    const signed = await signJsonLd(follow(bob.id), forged.privateKey, new URL(`${evil.origin}/keys/2`), { contextLoader });
    evil.serve("/keys/2", { "@context": "https://w3id.org/security/v1", id: `${evil.origin}/keys/2`, type: "CryptographicKey", owner: bob.id, publicKeyPem: forged.publicKeyPem });
    const res = await deliver(node, await peer.signedPost(inbox, signed, peer.actors.mallory!));
    assert.equal(res.status, 401);
    await settle();
    assert.equal(await isFollower(bob.id), false);
  });
});

describe(`the node's fetch policy applies to key fetches on ${ENGINE_LABEL}`, () => {
  test("an actor served as application/json cannot sign anything (its key is not an ActivityPub document)", async () => {
    const json = await peer.addActor("plainjson");
    peer.serve("/users/plainjson", json.document, "application/json");
    const res = await deliver(node, await peer.signedPost(inbox, follow(json.id), json));
    assert.equal(res.status, 401);
  });

  test("a node that does not allow private addresses refuses a loopback peer's key (401)", async () => {
    const strict = await createTestNode({ REGISTRATION: "open" });
    try {
      const other = await createSigningPeer(strict, ["zoe"]);
      try {
        const zoe = other.actors.zoe!;
        const target = `${strict.config.publicUrl.origin}/inbox`;
        const res = await deliver(strict, await other.signedPost(target, { "@context": AS, id: `${other.origin}/follows/1`, type: "Follow", actor: zoe.id, object: `${strict.config.publicUrl.origin}/@node` }, zoe));
        assert.equal(res.status, 401);
      } finally {
        await other.close();
      }
    } finally {
      await strict.close();
    }
  });
});

describe(`origins, sizes and recipients on ${ENGINE_LABEL}`, () => {
  test("G6: an activity whose id is on another origin than its actor is dropped with 202", async () => {
    const bob = peer.actors.bob!;
    const res = await deliver(node, await peer.signedPost(inbox, follow(bob.id, "https://elsewhere.example/follows/1"), bob));
    assert.equal(res.status, 202);
    await settle();
    assert.equal(await isFollower(bob.id), false);
    const outbox = await node.database.db.selectFrom("outbox").select("activity").execute();
    assert.ok(!JSON.stringify(outbox).includes("elsewhere.example"), "and not accepted");
  });

  test("a body over 1 MB is refused with 413 by its Content-Length, before its signature is checked", async () => {
    const big = JSON.stringify({ ...follow(peer.actors.bob!.id), content: "x".repeat(1024 * 1024) });
    const res = await node.http.post("/@bikekitchen/inbox").set("Content-Type", "application/activity+json").set("Signature", claimedSignature).send(big);
    assert.equal(res.status, 413);
    const shared = await node.http.post("/inbox").set("Content-Type", "application/activity+json").set("Signature", claimedSignature).send(big);
    assert.equal(shared.status, 413);
    const unsigned = await node.http.post("/inbox").set("Content-Type", "application/activity+json").send(big);
    assert.equal(unsigned.status, 401, "unsigned: refused unread");
  });

  test("a chunked body over 1 MB without Content-Length is refused with 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request(inbox, { method: "POST", headers: { "Content-Type": "application/activity+json", Signature: claimedSignature }, body, duplex: "half" } as RequestInit);
    assert.equal(request.headers.get("content-length"), null);
    const res = await node.app.fetch(request);
    assert.equal(res.status, 413);
  });

  test("a signed body just under 1 MB is not refused for its size", async () => {
    const alice = peer.actors.alice!;
    const activity = { ...follow(alice.id), summary: "y".repeat(1000 * 1000) };
    const res = await deliver(node, await peer.signedPost(inbox, activity, alice));
    assert.equal(res.status, 202);
  });

  test("the inbox of an unknown local actor is 404, signed or not", async () => {
    const alice = peer.actors.alice!;
    const res = await deliver(node, await peer.signedPost(`${node.config.publicUrl.origin}/@nobody/inbox`, follow(alice.id), alice));
    assert.equal(res.status, 404);
  });
});

describe("malformed signed input never becomes a 500", () => {
  test("an actor that is not a URL, or a key id that is not one, gets a 4xx", async () => {
    const alice = peer.actors.alice!;
    for (const activity of [
      { ...follow(alice.id), actor: "not a url" },
      { ...follow(alice.id), actor: { id: 42 } },
      { ...follow(alice.id), actor: "javascript:alert(1)" },
    ]) {
      const res = await deliver(node, await peer.signedPost(inbox, activity, alice));
      assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(activity.actor)} → ${res.status}`);
    }
    const badKey = await peer.signedPost(inbox, follow(alice.id), alice);
    const headers = new Headers(badKey.headers);
    headers.set("Signature", headers.get("Signature")!.replace(/keyId="[^"]*"/, 'keyId="::not a key::"'));
    const res = await deliver(node, new Request(badKey.url, { method: "POST", headers, body: await badKey.text() }));
    assert.ok(res.status >= 400 && res.status < 500, `bad keyId → ${res.status}`);
  });
});
