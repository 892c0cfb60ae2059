import assert from "node:assert/strict";
import { createVerify, generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { signRequest, verifyJsonLd, verifyRequest } from "@fedify/fedify";
import { buildActivity, ldSign } from "./mastodon-activities.ts";
import { rubyJson } from "./mastodon-documents.ts";
import { rawRequest } from "./mastodon-http.ts";
import { actorDocumentProblems } from "./mastodon-rules.ts";
import { digestHeader, parseSignatureHeader, signingString, signMastodonRequest } from "./mastodon-signature.ts";
import { createFakeMastodon, type FakeMastodon } from "./fake-mastodon.ts";

// Fixture F3 (test/fixtures/mastodon/follow.json): the exact 254-byte body and the real Digest it carries.
const F3_BODY =
  '{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/9e7c9a4e-5f0b-4c55-9d0e-3a1f6b2c7d80","type":"Follow","actor":"https://mastodon.example/ap/users/115023456789012345","object":"https://projects.example/actors/solar-coop"}';
const F3_DIGEST = "SHA-256=+S6PTKI3XISod4LgvE29IoRDDb+VNazO/lMYYfzq45E=";

describe("Mastodon's signature format", () => {
  test("the Digest of fixture F3's body equals the one Mastodon sent", () => {
    assert.equal(Buffer.byteLength(F3_BODY), 254);
    assert.equal(digestHeader(F3_BODY), F3_DIGEST);
  });

  test("the follow template filled with F3's values is F3's body byte for byte", () => {
    const follow = buildActivity("follow", {
      ORIGIN: "https://mastodon.example",
      UUID: "9e7c9a4e-5f0b-4c55-9d0e-3a1f6b2c7d80",
      ACTOR: "https://mastodon.example/ap/users/115023456789012345",
      TARGET: "https://projects.example/actors/solar-coop",
    });
    assert.equal(rubyJson(follow), F3_BODY);
    assert.equal(digestHeader(rubyJson(follow)), F3_DIGEST);
  });

  test("bodies escape <, > and & as ActiveSupport does", () => {
    assert.equal(rubyJson({ content: "<p>a & b</p>" }), '{"content":"\\u003cp\\u003ea \\u0026 b\\u003c/p\\u003e"}');
  });

  test("a POST is signed over (request-target) host date digest content-type, in Mastodon's header order", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const url = new URL("https://projects.example/actors/solar-coop/inbox");
    const date = new Date("2026-08-22T10:00:00Z");
    const signed = signMastodonRequest({
      method: "POST",
      url,
      host: "projects.example",
      keyId: "https://mastodon.example/ap/users/115023456789012345#main-key",
      privateKey,
      version: "4.3",
      userAgent: "Mastodon/4.6.0 (http.rb/5.3.1; +https://mastodon.example/)",
      date,
      body: Buffer.from(F3_BODY),
    });
    assert.deepEqual(Object.keys(signed.headers), ["User-Agent", "Host", "Date", "Accept-Encoding", "Content-Type", "Digest", "Signature"]);
    assert.equal(
      signed.signingString,
      [
        "(request-target): post /actors/solar-coop/inbox",
        "host: projects.example",
        "date: Sat, 22 Aug 2026 10:00:00 GMT",
        `digest: ${F3_DIGEST}`,
        "content-type: application/activity+json",
      ].join("\n"),
    );
    const params = parseSignatureHeader(signed.headers.Signature!)!;
    assert.equal(params.keyId, "https://mastodon.example/ap/users/115023456789012345#main-key");
    assert.equal(params.algorithm, "rsa-sha256");
    assert.equal(params.headers, "(request-target) host date digest content-type");
    assert.match(signed.headers.Signature!, /^keyId="[^"]+",algorithm="rsa-sha256",headers="[^"]+",signature="[A-Za-z0-9+/=]+"$/);
    assert.ok(createVerify("RSA-SHA256").update(signed.signingString).verify(publicKey, params.signature!, "base64"));
  });

  test("(request-target) keeps the query string and GETs cover accept", () => {
    const url = new URL("https://projects.example/actors/solar-coop/outbox?page=true");
    const text = signingString("GET", url, { Host: "projects.example", Date: "d", Accept: "application/activity+json, application/ld+json" }, ["(request-target)", "host", "date", "accept"]);
    assert.equal(text, "(request-target): get /actors/solar-coop/outbox?page=true\nhost: projects.example\ndate: d\naccept: application/activity+json, application/ld+json");
  });

  for (const host of ["projects.example", "projects.example:8443"]) {
    test(`Fedify's verifier accepts the fake's draft-cavage POST (Host: ${host})`, async () => {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const actor = "https://mastodon.example/users/alice";
      const url = new URL(`https://${host}/actors/solar-coop/inbox`);
      const body = Buffer.from(F3_BODY);
      const { headers } = signMastodonRequest({ method: "POST", url, host: "projects.example", keyId: `${actor}#main-key`, privateKey, version: "4.3", userAgent: "Mastodon", body });
      const request = new Request(url, { method: "POST", headers, body });
      const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
      const documentLoader = async (u: string) => ({
        contextUrl: null,
        documentUrl: u,
        document: { "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"], id: actor, type: "Person", publicKey: { id: `${actor}#main-key`, owner: actor, publicKeyPem: pem } },
      });
      const key = await verifyRequest(request, { documentLoader });
      assert.equal(key?.id?.href, `${actor}#main-key`);
    });
  }
});

describe("the fake Mastodon server", () => {
  let alice: FakeMastodon;
  let bob: FakeMastodon;
  before(async () => {
    alice = await createFakeMastodon({ username: "alice" });
    bob = await createFakeMastodon({ username: "bob", idStyle: "legacy", authorizedFetch: true });
  });
  after(async () => {
    await alice.close();
    await bob.close();
  });

  test("serves WebFinger with the self link and the OStatus subscribe template", async () => {
    const res = await fetch(`${alice.origin}/.well-known/webfinger?resource=acct:alice@${alice.domain}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^application\/jrd\+json/);
    const jrd = (await res.json()) as { subject: string; links: { rel: string; type?: string; href?: string; template?: string }[] };
    assert.equal(jrd.subject, `acct:alice@${alice.domain}`);
    assert.equal(jrd.links.find((l) => l.rel === "self")?.href, alice.actorId);
    assert.equal(jrd.links.find((l) => l.rel === "self")?.type, "application/activity+json");
    assert.equal(jrd.links.find((l) => l.rel === "http://ostatus.org/schema/1.0/subscribe")?.template, `${alice.origin}/authorize_interaction?uri={uri}`);
    assert.equal((await fetch(`${alice.origin}/.well-known/webfinger?resource=acct:nobody@${alice.domain}`)).status, 404);
  });

  test("serves Alice as a Mastodon Person and the instance actor as mastodon.internal", async () => {
    assert.match(alice.actorId, /\/ap\/users\/\d+$/);
    const res = await fetch(alice.actorId, { headers: { Accept: "application/activity+json" } });
    assert.match(res.headers.get("content-type")!, /^application\/activity\+json/);
    const person = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(actorDocumentProblems(person, alice.actorId), []);
    assert.equal(person.preferredUsername, "alice");
    assert.deepEqual(person.endpoints, { sharedInbox: `${alice.origin}/inbox` });
    assert.equal((person.publicKey as Record<string, unknown>).id, `${alice.actorId}#main-key`);
    assert.match(String((person.publicKey as Record<string, unknown>).publicKeyPem), /^-----BEGIN PUBLIC KEY-----\n/);
    const instance = (await (await fetch(`${alice.origin}/actor`)).json()) as Record<string, unknown>;
    assert.equal(instance.type, "Application");
    assert.equal(instance.preferredUsername, "mastodon.internal");
  });

  test("in authorized-fetch mode, Alice's document needs a signed GET", async () => {
    assert.equal((await fetch(bob.actorId, { headers: { Accept: "application/activity+json" } })).status, 401);
    const signed = await alice.fetchObject(bob.actorId);
    assert.equal(signed.status, 200, signed.body.toString());
    assert.equal(signed.json?.id, bob.actorId);
  });

  test("refuses unsigned POSTs with 401 and a JSON error, and bodies over 1 MB with 413", async () => {
    const unsigned = await bob.post(alice.sharedInbox, { type: "Follow" }, { signer: "none" });
    assert.equal(unsigned.status, 401);
    assert.equal(JSON.parse(unsigned.text).error, "Request not signed");
    const large = await bob.post(alice.sharedInbox, { type: "Note", content: "x".repeat(1024 * 1024) });
    assert.equal(large.status, 413);
  });

  test("verifies a peer's signed POST, fetching its key with a signed GET and checking its WebFinger", async () => {
    const result = await bob.follow(alice.actorId);
    assert.equal(result.status, 202, result.text);
    const delivery = await alice.waitForDelivery("bob's Follow", (d) => d.activity?.type === "Follow" && d.activity.actor === bob.actorId);
    assert.equal(delivery.verified, true, delivery.verification.error);
    assert.equal(delivery.keyId, `${bob.actorId}#main-key`);
    assert.equal(delivery.inbox, "personal");
    assert.deepEqual(delivery.verification.covered, ["(request-target)", "host", "date", "digest", "content-type"]);
    assert.ok(bob.gets.some((g) => g.path === "/users/bob" && g.signature?.includes(`keyId="${alice.origin}/actor#main-key"`)));
  });

  test("refuses a tampered body (Digest mismatch) and a key that does not sign", async () => {
    const tampered = await bob.post(alice.sharedInbox, { type: "Like", actor: bob.actorId }, { override: { Digest: digestHeader("other") } });
    assert.equal(tampered.status, 401);
    assert.match(JSON.parse(tampered.text).error, /Invalid Digest value/);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const forged = await bob.post(alice.sharedInbox, { type: "Like", actor: bob.actorId }, { signer: { keyId: bob.keyId, privateKey: other } });
    assert.equal(forged.status, 401);
  });

  test("verifies RFC 9421 signatures (Mastodon ≥ 4.5)", async () => {
    const body = JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id: `${bob.actorId}#likes/1`, type: "Like", actor: bob.actorId, object: `${alice.actorId}/statuses/1` });
    const key = bob.signer.privateKey.toCryptoKey({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]) as unknown as CryptoKey;
    const request = await signRequest(new Request(alice.sharedInbox, { method: "POST", headers: { "Content-Type": "application/activity+json" }, body }), key, new URL(bob.keyId), { spec: "rfc9421" });
    const res = await rawRequest("POST", new URL(request.url), Object.fromEntries(request.headers), Buffer.from(body));
    assert.equal(res.status, 202, res.body.toString());
    const delivery = alice.deliveries.at(-1)!;
    assert.equal(delivery.verification.spec, "rfc9421");
    assert.equal(delivery.verified, true);
  });

  test("LD signatures are Mastodon's RsaSignature2017 (no @context, no milliseconds) and verify with Fedify", async () => {
    const announce = buildActivity("announce", { ACTOR: alice.actorId, STATUS_ID: "1", PUBLISHED: "2026-08-22T10:05:00Z", AUTHOR: bob.actorId, NOTE: `${bob.actorId}/statuses/1` });
    const signed = await ldSign(announce, alice.signer.privateKey, alice.keyId);
    const signature = signed.signature as Record<string, unknown>;
    assert.deepEqual(Object.keys(signature), ["type", "creator", "created", "signatureValue"]);
    assert.match(String(signature.created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const documentLoader = async (url: string) => ({ contextUrl: null, documentUrl: url, document: (await alice.fetchObject(url.split("#")[0]!)).json });
    assert.equal(await verifyJsonLd(signed, { documentLoader }), true);
  });
});
