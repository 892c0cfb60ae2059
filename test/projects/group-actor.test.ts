import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { assertGolden } from "./golden.ts";
import { AP, asArray, bearer, createMember, createProject, lastOutboxId, outboxRows, PUBLIC, type TestMember, uploadImage } from "./project-fixtures.ts";

let node: TestNode;
let alice: TestMember;
let avatarUrl: string;
let bannerUrl: string;

before(async () => {
  node = await createTestNode({ NODE_NAME: "Lyon Commons" });
  alice = await createMember(node, "alice");
  const avatar = await uploadImage(node, alice, { purpose: "avatar", description: "The bike kitchen logo" });
  const banner = await uploadImage(node, alice, { purpose: "banner" });
  avatarUrl = avatar.url;
  bannerUrl = banner.url;
  await createProject(node, alice, {
    handle: "bike-kitchen",
    name: "Bike Kitchen",
    summary: "We **repair** bikes together. #Repair",
    tags: ["Repair", "#Open-Source", "bicycles"],
    location: { name: "Lyon", latitude: 45.764, longitude: 4.8357 },
    website: "https://bike-kitchen.example/",
    avatar: avatar.id,
    banner: banner.id,
  });
});
after(async () => {
  await node.close();
});

async function fetchActor(handle: string): Promise<Record<string, any>> {
  const res = await node.http.get(`/@${handle}`).set("Accept", AP).expect(200).expect("content-type", /application\/activity\+json/);
  return JSON.parse(res.text);
}

describe("the project's Group actor", () => {
  test("has every field Mastodon reads (docs/mastodon.md#actors)", async () => {
    const actor = await fetchActor("bike-kitchen");
    assert.ok(asArray(actor["@context"]).includes("https://www.w3.org/ns/activitystreams"));
    assert.equal(actor.id, "https://city-a.test/@bike-kitchen");
    assert.equal(actor.type, "Group");
    assert.equal(actor.preferredUsername, "bike-kitchen");
    assert.equal(actor.name, "Bike Kitchen");
    assert.equal(
      actor.summary,
      '<p>We <strong>repair</strong> bikes together. <a href="https://city-a.test/tags/repair" class="mention hashtag" rel="tag">#<span>Repair</span></a></p>',
    );
    assert.equal(actor.url, actor.id, "the project page is the actor's URL");
    assert.equal(actor.inbox, "https://city-a.test/@bike-kitchen/inbox");
    assert.equal(actor.outbox, "https://city-a.test/@bike-kitchen/outbox");
    assert.equal(actor.followers, "https://city-a.test/@bike-kitchen/followers");
    assert.equal(actor.featured, "https://city-a.test/@bike-kitchen/featured");
    assert.equal(actor.endpoints.sharedInbox, "https://city-a.test/inbox");
    assert.equal(actor.discoverable, true);
    assert.equal(actor.indexable, true);
    assert.equal(actor.manuallyApprovesFollowers, false);
    assert.ok(!Number.isNaN(Date.parse(actor.published)), "published is a date");
  });

  test("icon and image are Image objects with a media type and public URL", async () => {
    const actor = await fetchActor("bike-kitchen");
    assert.equal(actor.icon.type, "Image");
    assert.equal(actor.icon.mediaType, "image/webp");
    assert.equal(actor.icon.url, avatarUrl);
    assert.equal(actor.icon.name, "The bike kitchen logo");
    assert.equal(actor.image.type, "Image");
    assert.equal(actor.image.mediaType, "image/webp");
    assert.equal(actor.image.url, bannerUrl);
    const media = await node.http.get(new URL(avatarUrl).pathname).expect(200);
    assert.equal(media.headers["content-type"], "image/webp");
  });

  test("attachment is an array of PropertyValue: Location, Website and Tags", async () => {
    const actor = await fetchActor("bike-kitchen");
    assert.ok(Array.isArray(actor.attachment), "attachment must be an array (Mastodon ignores an object)");
    const fields = actor.attachment.filter((a: { type: string }) => a.type === "PropertyValue");
    assert.deepEqual(
      fields.map((f: { name: string }) => f.name),
      ["Location", "Website", "Tags"],
    );
    const byName = Object.fromEntries(fields.map((f: { name: string; value: string }) => [f.name, f.value]));
    assert.match(byName.Location, /^<a href="https:\/\/www\.openstreetmap\.org\/\?mlat=45\.764&#38;mlon=4\.8357[^"]*"[^>]*>Lyon<\/a>$/);
    assert.equal(byName.Website, '<a href="https://bike-kitchen.example/" rel="me nofollow noopener noreferrer" target="_blank">bike-kitchen.example</a>');
    assert.match(byName.Tags, /#<span>repair<\/span><\/a> <a href="https:\/\/city-a\.test\/tags\/opensource" class="mention hashtag" rel="tag">#<span>opensource<\/span>/);
    assert.deepEqual(actor.location, { type: "Place", name: "Lyon", latitude: 45.764, longitude: 4.8357 });
  });

  test("a single profile field is still an array", async () => {
    await createProject(node, alice, { handle: "one-field", name: "One field", website: "https://one.example/" });
    const actor = await fetchActor("one-field");
    assert.ok(Array.isArray(actor.attachment));
    assert.equal(actor.attachment.filter((a: { type: string }) => a.type === "PropertyValue").length, 1);
  });

  test("publicKey is RSA-2048 owned by the actor; assertionMethod holds an Ed25519 multikey", async () => {
    const actor = await fetchActor("bike-kitchen");
    assert.equal(actor.publicKey.id, "https://city-a.test/@bike-kitchen#main-key");
    assert.equal(actor.publicKey.owner, actor.id);
    const key = createPublicKey(actor.publicKey.publicKeyPem);
    assert.equal(key.asymmetricKeyType, "rsa");
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    const multikeys = asArray(actor.assertionMethod).filter((k: { type: string }) => k.type === "Multikey");
    assert.ok(multikeys.some((k: { publicKeyMultibase: string }) => k.publicKeyMultibase.startsWith("z6Mk")), "an Ed25519 multikey");
    assert.ok(!JSON.stringify(actor).includes('"d":'), "no private key material");
  });

  test("matches the golden JSON-LD file", async () => {
    assertGolden("group-actor", await fetchActor("bike-kitchen"));
  });

  test("WebFinger finds it by handle", async () => {
    const res = await node.http.get("/.well-known/webfinger").query({ resource: "acct:bike-kitchen@city-a.test" }).expect(200);
    const self = res.body.links.find((l: { rel: string }) => l.rel === "self");
    assert.deepEqual(self, { rel: "self", href: "https://city-a.test/@bike-kitchen", type: AP });
  });

  test("its outbox and featured collections count its updates and pin", async () => {
    const outbox = JSON.parse((await node.http.get("/@bike-kitchen/outbox").set("Accept", AP).expect(200)).text);
    assert.equal(outbox.type, "OrderedCollection");
    assert.equal(outbox.totalItems, 0);
    assert.ok(outbox.first, "a first page");
    const featured = JSON.parse((await node.http.get("/@bike-kitchen/featured").set("Accept", AP).expect(200)).text);
    assert.equal(featured.type, "OrderedCollection");
    assert.equal(featured.totalItems, 0);
  });
});

describe("content negotiation on the project URL", () => {
  test("browsers get the project page, with an alternate link to the actor", async () => {
    const res = await node.http.get("/@bike-kitchen").set("Accept", "text/html,application/xhtml+xml").expect(200);
    assert.match(res.headers["content-type"]!, /text\/html/);
    const { document } = parseHTML(res.text);
    assert.equal(document.querySelector("h1.project-name")?.textContent, "Bike Kitchen");
    assert.equal(document.querySelector('link[rel="alternate"][type="application/activity+json"]')?.getAttribute("href"), "https://city-a.test/@bike-kitchen");
  });

  test("application/ld+json with the ActivityStreams profile gets the Group", async () => {
    const res = await node.http.get("/@bike-kitchen").set("Accept", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"').expect(200);
    assert.equal(JSON.parse(res.text).type, "Group");
  });

  test("an unknown project is 404 in both forms", async () => {
    await node.http.get("/@no-such-project").set("Accept", AP).expect(404);
    await node.http.get("/@no-such-project").set("Accept", "text/html").expect(404);
  });
});

describe("editing the project", () => {
  test("sends Update(Group) to followers with the new profile, once", async () => {
    const before = await lastOutboxId(node);
    const res = await node.http
      .patch("/api/v1/projects/bike-kitchen")
      .set(...bearer(alice))
      .send({ name: "Bike Kitchen Lyon", summary: "Repair café for *bikes*." })
      .expect(200);
    assert.equal(res.body.name, "Bike Kitchen Lyon");
    const rows = await outboxRows(node, before);
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.equal(row!.sender, "bike-kitchen");
    assert.equal(row!.recipients, "followers");
    assert.equal(row!.orderingKey, "https://city-a.test/@bike-kitchen");
    const update = row!.activity as Record<string, any>;
    assert.equal(update.type, "Update");
    assert.equal(update.actor, "https://city-a.test/@bike-kitchen");
    assert.ok(asArray(update.to).includes(PUBLIC), "the public audience spelled out");
    assert.equal(update.object.id, "https://city-a.test/@bike-kitchen");
    assert.equal(update.object.type, "Group");
    assert.equal(update.object.name, "Bike Kitchen Lyon");
    assert.equal(update.object.summary, "<p>Repair café for <em>bikes</em>.</p>");
    assert.ok(update.object.publicKey, "the Group in the Update keeps its key");
    assert.ok(Array.isArray(update.object.attachment));
    assertGolden("group-update", update);
    const actor = await fetchActor("bike-kitchen");
    assert.equal(actor.name, "Bike Kitchen Lyon");
  });

  test("an edit that changes nothing visible sends nothing", async () => {
    const before = await lastOutboxId(node);
    await node.http.patch("/api/v1/projects/bike-kitchen").set(...bearer(alice)).send({ name: "Bike Kitchen Lyon" }).expect(200);
    assert.equal((await outboxRows(node, before)).length, 0);
  });
});
