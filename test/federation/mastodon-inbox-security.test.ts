import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signRequest } from "@fedify/fedify";
import { createFakeMastodon, type FakeMastodon, rsaKeys } from "../fakes/fake-mastodon.ts";
import { AS, personDocument } from "../fakes/mastodon-documents.ts";
import { rawRequest } from "../fakes/mastodon-http.ts";
import { digestHeader, type MastodonVersion } from "../fakes/mastodon-signature.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { followProject, postUpdate, type Scenario, startScenario } from "./mastodon-scenario.ts";

/**
 * What our inboxes accept from a Mastodon server and what they refuse (docs/mastodon.md#signatures,
 * docs/security.md#inbox-limits): every header order Mastodon has used, `Host` with or without the port,
 * RFC 9421 (the 4.7 double-knock), and 401 / 404 / 413 for the rest.
 */
describe(`our inboxes and Mastodon's signatures (${ENGINE_LABEL})`, () => {
  let s: Scenario;
  let note: string;
  let sequence = 0;
  const likeOf = (fake: FakeMastodon, object: string) => ({ "@context": AS, id: `${fake.actorId}#likes/${++sequence}`, type: "Like", actor: fake.actorId, object });

  before(async () => {
    s = await startScenario();
    note = (await postUpdate(s, { content: "Signature tests" })).iri;
  });
  after(async () => {
    await s?.close();
  });

  const variants: [MastodonVersion, "without-port" | "with-port"][] = [
    ["4.3", "without-port"],
    ["4.6", "without-port"],
    ["4.7", "without-port"],
    ["4.3", "with-port"],
  ];
  for (const [version, hostHeader] of variants) {
    test(`a POST signed as Mastodon ${version} signs it (Host ${hostHeader}) is accepted`, async () => {
      const sent = await s.fake.post(`${s.project.iri}/inbox`, likeOf(s.fake, note), { version, hostHeader });
      assert.equal(sent.status, 202, sent.text);
    });
  }

  test("an RFC 9421 signature (Mastodon 4.7's second knock) is accepted", async () => {
    const body = JSON.stringify(likeOf(s.fake, note));
    const key = s.fake.signer.privateKey.toCryptoKey({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]) as unknown as CryptoKey;
    const signed = await signRequest(new Request(`${s.project.iri}/inbox`, { method: "POST", headers: { "Content-Type": "application/activity+json" }, body }), key, new URL(s.fake.keyId), { spec: "rfc9421" });
    const res = await rawRequest("POST", new URL(signed.url), Object.fromEntries(signed.headers), Buffer.from(body));
    assert.equal(res.status, 202, res.body.toString());
  });

  test("an unsigned POST gets 401, at the Group's inbox and at the shared inbox", async () => {
    for (const inbox of [`${s.project.iri}/inbox`, `${s.node.origin}/inbox`]) {
      const sent = await s.fake.post(inbox, likeOf(s.fake, note), { signer: "none" });
      assert.equal(sent.status, 401, `${inbox}: ${sent.status} ${sent.text}`);
    }
  });

  test("a POST signed by Alice's key but claiming to be another actor gets 401", async () => {
    const mallory = `${s.fake.origin}/users/mallory`;
    const keys = rsaKeys();
    s.fake.serve("/users/mallory", {
      "@context": [AS, "https://w3id.org/security/v1"],
      ...personDocument({ ...s.fake.info, id: mallory, username: "mallory", displayName: "Mallory", publicKeyPem: keys.pem }, false),
    });
    const forged = { "@context": AS, id: `${s.fake.origin}/${crypto.randomUUID()}`, type: "Follow", actor: mallory, object: s.project.iri };
    const sent = await s.fake.post(`${s.project.iri}/inbox`, forged);
    assert.equal(sent.status, 401, sent.text);
    assert.match(sent.text, /not listed by the actor/);
    const followers = await s.node.http.get(`/api/v1/projects/${s.project.handle}/followers`);
    assert.equal(followers.body.total, 0);
  });

  test("a body that does not match its Digest, or a Date two hours old, gets 401", async () => {
    const tampered = await s.fake.post(`${s.project.iri}/inbox`, likeOf(s.fake, note), { override: { Digest: digestHeader("something else") } });
    assert.equal(tampered.status, 401, tampered.text);
    const stale = await s.fake.post(`${s.project.iri}/inbox`, likeOf(s.fake, note), { date: new Date(Date.now() - 2 * 3600_000) });
    assert.equal(stale.status, 401, stale.text);
  });

  test("a body over 1 MB gets 413 when signed, and 401 unread when not", async () => {
    const huge = { ...likeOf(s.fake, note), content: "x".repeat(1024 * 1024) };
    assert.equal((await s.fake.post(`${s.project.iri}/inbox`, huge)).status, 413);
    assert.equal((await s.fake.post(`${s.node.origin}/inbox`, huge, { signer: "none" })).status, 401);
  });

  test("an unknown local actor is 404, for its document and its inbox", async () => {
    assert.equal((await s.fake.fetchObject(`${s.node.origin}/@nobody-here`)).status, 404);
    assert.equal((await s.fake.post(`${s.node.origin}/@nobody-here/inbox`, likeOf(s.fake, note))).status, 404);
  });

  test("a Mastodon ≤ 4.4 server, which refuses RFC 9421 with 401, gets the Accept signed draft-cavage on the second knock", async () => {
    const old = await createFakeMastodon({ username: "dave", acceptRfc9421: false });
    try {
      await followProject({ ...s, fake: old });
      const attempts = old.deliveries.filter((d) => d.activity?.type === "Accept");
      assert.deepEqual(attempts.map((d) => d.status), [401, 202], "RFC 9421 first (refused), then draft-cavage");
      const accept = attempts[1]!;
      assert.equal(accept.verified, true, accept.verification.error);
      assert.equal(accept.verification.spec, "draft-cavage");
      assert.ok(accept.verification.covered.includes("digest"), `covered: ${accept.verification.covered.join(" ")}`);
    } finally {
      await old.close();
    }
  });

  test("a Mastodon server in authorized-fetch mode, with a pre-4.5 /users/ id, can follow (our GETs are signed)", async () => {
    const secure = await createFakeMastodon({ username: "carol", idStyle: "legacy", authorizedFetch: true, version: "4.6" });
    try {
      const accept = await followProject({ ...s, fake: secure });
      assert.equal(accept.verified, true, accept.verification.error);
      assert.ok(secure.gets.some((g) => g.path === "/users/carol" && g.status === 200 && g.signature !== undefined), "our node fetched carol with a signed GET");
      assert.ok(!secure.gets.some((g) => g.path === "/users/carol" && g.status === 401), "no unsigned fetch of carol was refused");
    } finally {
      await secure.close();
    }
  });
});
