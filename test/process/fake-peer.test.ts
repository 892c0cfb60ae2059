import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { signRequest } from "@fedify/fedify";
import { createFakePeer, type FakePeer } from "../helpers/fake-peer.ts";

// The fake peer's verifier must be real, or the delivery tests prove nothing: it accepts a request
// signed with a key it can fetch, in either spec, and refuses unsigned, tampered and wrong-key ones.
let peer: FakePeer;
before(async () => {
  peer = await createFakePeer();
});
after(() => peer.close());

const body = (id: string) => JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id, type: "Like", actor: peer.actorId });

function post(payload: string): Request {
  return new Request(peer.inbox, { method: "POST", headers: { "Content-Type": "application/activity+json" }, body: payload });
}

async function send(request: Request): Promise<number> {
  const response = await fetch(request);
  await response.body?.cancel();
  return response.status;
}

test("the actor document is a Person with its inbox and key", async () => {
  const response = await fetch(peer.actorId, { headers: { Accept: "application/activity+json" } });
  assert.equal(response.headers.get("content-type"), "application/activity+json");
  const actor = (await response.json()) as Record<string, any>;
  assert.equal(actor.type, "Person");
  assert.equal(actor.id, peer.actorId);
  assert.equal(actor.inbox, peer.inbox);
  assert.equal(actor.endpoints.sharedInbox, peer.sharedInbox);
  assert.equal(actor.publicKey.id, peer.keyId);
  assert.match(actor.publicKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
});

for (const spec of ["rfc9421", "draft-cavage-http-signatures-12"] as const) {
  test(`a request signed with the actor's key verifies (${spec})`, async () => {
    const payload = body(`${peer.origin}/likes/${spec}`);
    const signed = await signRequest(post(payload), peer.privateKey, new URL(peer.keyId), { spec, body: new TextEncoder().encode(payload).buffer });
    assert.equal(await send(signed), 202);
    const delivery = await peer.waitForDelivery(spec, (d) => d.activityId === `${peer.origin}/likes/${spec}`);
    assert.deepEqual([delivery.spec, delivery.verified, delivery.keyId, delivery.status], [spec, true, peer.keyId, 202]);
  });
}

test("unsigned, tampered and wrong-key requests are refused with 401", async () => {
  assert.equal(await send(post(body(`${peer.origin}/likes/unsigned`))), 401);

  const original = body(`${peer.origin}/likes/tampered`);
  const signed = await signRequest(post(original), peer.privateKey, new URL(peer.keyId), { spec: "draft-cavage-http-signatures-12" });
  const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: original.replace("Like", "Announce") });
  assert.equal(await send(tampered), 401);

  const stranger = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const forged = await signRequest(post(body(`${peer.origin}/likes/forged`)), stranger.privateKey, new URL(peer.keyId));
  assert.equal(await send(forged), 401);

  const refused = peer.deliveries.filter((d) => /unsigned|tampered|forged/.test(d.activityId ?? ""));
  assert.deepEqual(
    refused.map((d) => [d.activityId?.split("/").pop(), d.verified, d.failure]),
    [["unsigned", false, "noSignature"], ["tampered", false, "invalidSignature"], ["forged", false, "invalidSignature"]],
  );
});
