import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { html, openForm, registerViaApi, tokenFor, webLogin } from "./account-helpers.ts";

const AP = "application/activity+json";
let node: TestNode;
let token: string;
before(async () => {
  node = await createTestNode({ REGISTRATION: "open" });
  await registerViaApi(node, "alice", { displayName: "Alice <b>Example</b>" });
  token = await tokenFor(node, "alice");
});
after(async () => {
  await node.close();
});

describe(`a member's profile (${ENGINE_LABEL})`, () => {
  test("PATCH /api/v1/me edits the display name and plain-text bio and queues an Update(Person) to followers", async () => {
    const bio = "Fixes bikes <script>alert(1)</script> & more.\nSecond line.\n\nNew paragraph.";
    const res = await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ displayName: "Alice Example", bio }).expect(200);
    assert.equal(res.body.displayName, "Alice Example");
    assert.equal(res.body.bio, bio);
    assert.equal(res.body.acct, "alice@city-a.test");

    const rows = await node.deps.db.selectFrom("outbox").selectAll().where("sender", "=", "alice").execute();
    assert.equal(rows.length, 1);
    const { activity, recipients } = rows[0]! as unknown as { activity: Record<string, any>; recipients: unknown };
    assert.equal(recipients, "followers");
    assert.equal(activity.type, "Update");
    assert.equal(activity.actor, "https://city-a.test/@alice");
    assert.match(activity.id, /^https:\/\/city-a\.test\/@alice#updates\/[0-9a-f-]{36}$/);
    assert.equal(activity.to, "as:Public");
    assert.equal(activity.cc, "https://city-a.test/@alice/followers");
    assert.equal(activity.object.type, "Person");
    assert.equal(activity.object.id, "https://city-a.test/@alice");
    assert.equal(activity.object.name, "Alice Example");
    assert.equal(activity.object.summary, "<p>Fixes bikes &#60;script&#62;alert(1)&#60;/script&#62; &#38; more.<br>Second line.</p><p>New paragraph.</p>");

    // No change, no activity; a second edit gets a fresh activity id.
    await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ bio }).expect(200);
    await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ bio: "Fixes bikes." }).expect(200);
    const ids = (await node.deps.db.selectFrom("outbox").select("activity").where("sender", "=", "alice").execute()).map((r) => (r.activity as { id: string }).id);
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
    await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ bio: `${"Bikes. "}\n\n${"Wheels and spokes. ".repeat(3)}` }).expect(200);
  });

  test("refuses a bio over 500 characters, unknown fields and anonymous edits", async () => {
    const long = await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ bio: "x".repeat(501) }).expect(422);
    assert.deepEqual(long.body.issues.map((i: { path: string }) => i.path), ["bio"]);
    const extra = await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ role: "admin" }).expect(422);
    assert.match(extra.body.message, /role/);
    await node.http.patch("/api/v1/me").send({ bio: "hi" }).expect(401);
    await node.http.get("/api/v1/me").expect(401);
  });

  test("is a Person actor Mastodon can read, with an RSA-2048 key and an Ed25519 multikey", async () => {
    const res = await node.http.get("/@alice").set("Accept", AP).expect(200).expect("content-type", /activity\+json/);
    const actor = JSON.parse(res.text);
    assert.equal(actor["@context"][0], "https://www.w3.org/ns/activitystreams");
    assert.equal(actor.id, "https://city-a.test/@alice");
    assert.equal(actor.type, "Person");
    assert.equal(actor.preferredUsername, "alice");
    assert.equal(actor.name, "Alice Example");
    assert.equal(actor.summary, "<p>Bikes.</p><p>Wheels and spokes. Wheels and spokes. Wheels and spokes.</p>");
    assert.equal(actor.url, "https://city-a.test/@alice");
    assert.equal(actor.inbox, "https://city-a.test/@alice/inbox");
    assert.equal(actor.outbox, "https://city-a.test/@alice/outbox");
    assert.equal(actor.followers, "https://city-a.test/@alice/followers");
    assert.equal(actor.endpoints.sharedInbox, "https://city-a.test/inbox");
    assert.equal(actor.discoverable, true);
    assert.equal(actor.manuallyApprovesFollowers, false);
    assert.ok(Date.parse(actor.published) > Date.now() - 600_000);
    assert.equal(actor.publicKey.id, "https://city-a.test/@alice#main-key");
    assert.equal(actor.publicKey.owner, actor.id);
    const rsa = createPublicKey(actor.publicKey.publicKeyPem);
    assert.equal(rsa.asymmetricKeyType, "rsa");
    assert.equal(rsa.asymmetricKeyDetails?.modulusLength, 2048);
    const methods = [actor.assertionMethod].flat();
    assert.ok(methods.some((m: { type: string; publicKeyMultibase: string }) => m.type === "Multikey" && m.publicKeyMultibase.startsWith("z6Mk")), "an Ed25519 multikey");
    assert.equal(actor.icon, undefined, "no avatar yet");
    // The node actor's key is not the member's.
    const nodeActor = JSON.parse((await node.http.get("/@node").set("Accept", AP).expect(200)).text);
    assert.notEqual(nodeActor.publicKey.publicKeyPem, actor.publicKey.publicKeyPem);
  });

  test("WebFinger finds the member", async () => {
    const res = await node.http.get("/.well-known/webfinger").query({ resource: "acct:alice@city-a.test" }).expect(200);
    const self = res.body.links.find((l: { rel: string }) => l.rel === "self");
    assert.deepEqual(self, { rel: "self", href: "https://city-a.test/@alice", type: AP });
  });

  test("has an HTML page on the same URL: name, bio, fediverse handle, all escaped", async () => {
    await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ displayName: "Alice <i>Ex</i>", bio: "<b>bold?</b>\n\nSecond" }).expect(200);
    const res = await node.http.get("/@alice").set("Accept", "text/html").expect(200).expect("content-type", /text\/html/);
    assert.match(String(res.headers.vary), /Accept/);
    assert.ok(!res.text.includes("<b>bold?</b>"), "the bio is escaped");
    const doc = html(res.text);
    assert.equal(doc.querySelector("h1.member-name")?.textContent, "Alice <i>Ex</i>");
    assert.equal(doc.querySelector(".member .handle")?.textContent, "@alice@city-a.test");
    assert.deepEqual([...doc.querySelectorAll(".member-bio p")].map((p) => p.textContent), ["<b>bold?</b>", "Second"]);
    assert.equal(doc.querySelector('link[rel="alternate"]')?.getAttribute("href"), "https://city-a.test/@alice");
    assert.equal(doc.querySelector('a[href="/settings/profile"]'), null, "no edit link for visitors");
    await node.http.get("/@nobody").set("Accept", "text/html").expect(404);
  });

  test("an avatar upload becomes the Person's icon Image and shows on the page", async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#1f6f4a" } }).png().toBuffer();
    const upload = await node.http
      .post("/api/v1/media")
      .set("Authorization", `Bearer ${token}`)
      .field("purpose", "avatar")
      .attach("file", png, { filename: "me.png", contentType: "image/png" });
    assert.equal(upload.status, 201, upload.text);
    const set = await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ avatar: upload.body.id }).expect(200);
    assert.equal(set.body.avatar, upload.body.url);
    const actor = JSON.parse((await node.http.get("/@alice").set("Accept", AP).expect(200)).text);
    assert.deepEqual(actor.icon, { type: "Image", mediaType: "image/webp", url: upload.body.url });
    const last = await node.deps.db.selectFrom("outbox").select("activity").where("sender", "=", "alice").orderBy("id", "desc").executeTakeFirstOrThrow();
    assert.equal((last.activity as { object: { icon: { url: string } } }).object.icon.url, upload.body.url);
    const page = html((await node.http.get("/@alice").expect(200)).text);
    assert.equal(page.querySelector("img.avatar")?.getAttribute("src"), upload.body.url);
    await node.http.get(new URL(upload.body.url).pathname).expect(200).expect("content-type", "image/webp");

    // Someone else's upload cannot become my avatar; null removes mine.
    await registerViaApi(node, "bob");
    const bob = await tokenFor(node, "bob");
    await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${bob}`).send({ avatar: upload.body.id }).expect(404);
    await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${bob}`).send({ avatar: "not-an-id" }).expect(422);
    const cleared = await node.http.patch("/api/v1/me").set("Authorization", `Bearer ${token}`).send({ avatar: null }).expect(200);
    assert.equal(cleared.body.avatar, null);
  });

  test("/settings/profile edits the profile through a form with _csrf", async () => {
    await node.http.get("/settings/profile").expect(303).expect("location", "/login?next=%2Fsettings%2Fprofile");
    const cookie = await webLogin(node, "alice");
    const form = await openForm(node, "/settings/profile", cookie);
    assert.equal(form.document.querySelector("#displayName")?.getAttribute("value"), "Alice <i>Ex</i>");
    // linkedom keeps a textarea's text undecoded; a browser shows "<b>bold?</b>" as text.
    assert.equal(form.document.querySelector("#bio")?.textContent, "&lt;b&gt;bold?&lt;/b&gt;\n\nSecond");
    const tooLong = await node.http
      .post("/settings/profile")
      .type("form")
      .set("Cookie", cookie)
      .send({ _csrf: form.csrf, displayName: "Alice Again", bio: "y".repeat(501) });
    assert.equal(tooLong.status, 422);
    const doc = html(tooLong.text);
    assert.equal(doc.querySelector("#displayName")?.getAttribute("value"), "Alice Again");
    assert.match(doc.querySelector("#bio-error")?.textContent ?? "", /at most 500/);
    await node.http.post("/settings/profile").type("form").set("Cookie", cookie).send({ displayName: "No token" }).expect(403);

    const saved = await node.http.post("/settings/profile").type("form").set("Cookie", cookie).send({ _csrf: form.csrf, displayName: "Alice Web", bio: "From the form" });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, "/settings/profile?saved=1");
    const page = html((await node.http.get("/@alice").set("Cookie", cookie).expect(200)).text);
    assert.equal(page.querySelector("h1.member-name")?.textContent, "Alice Web");
    assert.equal(page.querySelector(".member-bio p")?.textContent, "From the form");
    assert.ok(page.querySelector('a[href="/settings/profile"]'), "the member sees the edit link");

    const notImage = await node.http
      .post("/settings/profile")
      .set("Cookie", cookie)
      .field("_csrf", form.csrf)
      .field("displayName", "Alice Web")
      .field("bio", "From the form")
      .attach("avatar", Buffer.from("just some text, not an image"), { filename: "me.png", contentType: "image/png" });
    assert.ok([415, 422].includes(notImage.status), `status ${notImage.status}`);
    assert.match(html(notImage.text).querySelector("#avatar-error")?.textContent ?? "", /not an image/);
  });
});
