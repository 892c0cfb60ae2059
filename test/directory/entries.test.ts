import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Create, Page, Place, PropertyValue } from "@fedify/vocab";
import { fromDirectoryEntryJson, toDirectoryEntryDocument, toDirectoryEntryPage } from "../../federation/translate/directory-entry.ts";
import { appendCharterVersion, currentCharter } from "../../server/modules/charter/charter.repository.ts";
import { findEntryByIri } from "../../server/modules/directory/directory.queries.ts";
import { removeEntriesFromPeer, removeEntry, upsertReceivedEntry } from "../../server/modules/directory/directory.repository.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { AP, bearer, createMember, createProject, type TestMember } from "../projects/project-fixtures.ts";
import { insertPeer, receive, remoteDraft } from "./directory-fixtures.ts";

let node: TestNode;
let alice: TestMember;
const ENTRY = "https://city-a.test/directory/entries/bike-kitchen";

before(async () => {
  node = await createTestNode();
  alice = await createMember(node, "alice");
  await createProject(node, alice, {
    handle: "bike-kitchen",
    name: "Bike Kitchen",
    summary: "We <fix> **bikes**. #repair",
    tags: ["repair", "bikes"],
    location: { name: "Guillotière", latitude: 45.75, longitude: 4.84, locality: "Lyon", country: "FR" },
  });
});
after(async () => {
  await node.close();
});

describe("the entry document at the entry's IRI", () => {
  test("ActivityPub clients get a Page with the entry's fields, twice: standard vocabulary and cn: terms", async () => {
    const res = await node.http.get("/directory/entries/bike-kitchen").set("Accept", AP).expect(200);
    assert.match(res.headers["content-type"]!, /^application\/activity\+json/);
    assert.equal(res.headers.vary, "Accept");
    const doc = JSON.parse(res.text);
    assert.equal(doc["@context"][0], "https://www.w3.org/ns/activitystreams");
    assert.equal(doc["@context"][1].cn, "https://w3id.org/commonsnet/ns#");
    assert.equal(doc["@context"][1].kind, "cn:kind");
    assert.equal(doc.id, ENTRY);
    assert.equal(doc.type, "Page");
    assert.equal(doc.name, "Bike Kitchen");
    assert.equal(doc.summary, "<p>We &#60;fix&#62; bikes. #repair</p>", "the Markdown's text, escaped as HTML");
    assert.equal(doc.url, "https://city-a.test/@bike-kitchen");
    assert.equal(doc.attributedTo, "https://city-a.test/@node");
    assert.ok(!Number.isNaN(Date.parse(doc.updated)));
    assert.deepEqual(doc.location, { type: "Place", name: "Guillotière", latitude: 45.75, longitude: 4.84 });
    assert.deepEqual(doc.tag, [
      { type: "Hashtag", name: "#repair", href: "https://city-a.test/tags/repair" },
      { type: "Hashtag", name: "#bikes", href: "https://city-a.test/tags/bikes" },
    ]);
    assert.deepEqual(doc.attachment, [
      { type: "PropertyValue", name: "kind", value: "project" },
      { type: "PropertyValue", name: "locality", value: "Lyon" },
      { type: "PropertyValue", name: "country", value: "FR" },
      { type: "PropertyValue", name: "maxHops", value: "1" },
    ]);
    assert.deepEqual([doc.kind, doc.locality, doc.region, doc.country, doc.bioregion, doc.maxHops], ["project", "Lyon", null, "FR", null, 1]);
  });

  test("Fedify reads the document as a Page with its Place, Hashtags and PropertyValues", async () => {
    const res = await node.http.get("/directory/entries/bike-kitchen").set("Accept", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"").expect(200);
    const page = await Page.fromJsonLd(JSON.parse(res.text));
    assert.equal(page.id?.href, ENTRY);
    assert.equal(page.attributionId?.href, "https://city-a.test/@node");
    const place = await page.getLocation();
    assert.ok(place instanceof Place);
    assert.equal(place.latitude, 45.75);
    const attachments: [string, string][] = [];
    for await (const a of page.getAttachments()) {
      assert.ok(a instanceof PropertyValue);
      attachments.push([String(a.name), String(a.value)]);
    }
    assert.deepEqual(attachments, [["kind", "project"], ["locality", "Lyon"], ["country", "FR"], ["maxHops", "1"]]);
  });

  test("maxHops follows the charter in force, not the one at the last edit", async () => {
    const charter = await currentCharter(node.database.db, node.config.registration);
    await appendCharterVersion(node.database.db, { ...charter.document, directory: { ...charter.document.directory, hopLimit: 3 } }, { note: "further", createdBy: null, basedOn: charter.version });
    const doc = JSON.parse((await node.http.get("/directory/entries/bike-kitchen").set("Accept", AP).expect(200)).text);
    assert.equal(doc.maxHops, 3);
    assert.deepEqual(doc.attachment.at(-1), { type: "PropertyValue", name: "maxHops", value: "3" });
  });

  test("browsers are sent to the project's page", async () => {
    const res = await node.http.get("/directory/entries/bike-kitchen").set("Accept", "text/html").expect(302);
    assert.equal(res.headers.location, "https://city-a.test/@bike-kitchen");
  });

  test("404 for unknown, unlisted and received entries", async () => {
    await node.http.get("/directory/entries/nothing-here").set("Accept", AP).expect(404);
    await node.http.get("/directory/entries/..%2Fetc").set("Accept", AP).expect(404);
    await node.http.get("/directory/entries/nothing-here").set("Accept", "text/html").expect(404);
    await createProject(node, alice, { handle: "hidden", name: "Hidden", listed: false });
    await node.http.get("/directory/entries/hidden").set("Accept", AP).expect(404);
    await node.http.get("/directory/entries/hidden").set("Accept", "text/html").expect(404);
    await node.http.patch("/api/v1/projects/hidden").set(...bearer(alice)).send({ listed: true }).expect(200);
    await node.http.get("/directory/entries/hidden").set("Accept", AP).expect(200);
  });

  test("the served document reads back through fromDirectoryEntryJson to the stored entry", async () => {
    const doc = JSON.parse((await node.http.get("/directory/entries/bike-kitchen").set("Accept", AP).expect(200)).text);
    const parsed = fromDirectoryEntryJson(doc);
    assert.ok(parsed.success, parsed.success ? "" : parsed.error);
    const stored = (await findEntryByIri(node.database.db, ENTRY))!;
    assert.deepEqual(
      { ...parsed.draft, maxHops: undefined },
      { iri: stored.iri, kind: "project", name: stored.name, summary: stored.summary, tags: stored.tags, location: stored.location, locality: "Lyon", region: null, country: "FR", bioregion: null, url: stored.url, origin: stored.origin, updatedAt: stored.updatedAt, maxHops: undefined, licence: null, latestVersion: null, madeCount: 0, madePoints: [] },
    );
  });
});

describe("federation/translate/directory-entry.ts", () => {
  const tagBase = new URL("https://city-a.test/tags/");

  test("the Page of an activity survives Fedify's compaction inside a Create and parses back", async () => {
    const stored = (await findEntryByIri(node.database.db, ENTRY))!;
    const create = new Create({ id: new URL("https://city-a.test/@node#directory/1"), actor: new URL("https://city-a.test/@node"), object: toDirectoryEntryPage(stored, { tagBase, maxHops: 2 }) });
    const json = (await create.toJsonLd({ format: "compact" })) as { object: unknown };
    // The outbox relay re-parses activities through Fedify's vocabulary: what survives that counts.
    const reparsed = (await (await Create.fromJsonLd(json)).toJsonLd({ format: "compact" })) as { object: unknown };
    const parsed = fromDirectoryEntryJson(reparsed.object);
    assert.ok(parsed.success, parsed.success ? "" : parsed.error);
    assert.equal(parsed.draft.iri, ENTRY);
    assert.deepEqual(parsed.draft.tags, ["repair", "bikes"]);
    assert.deepEqual(parsed.draft.location, { name: "Guillotière", latitude: 45.75, longitude: 4.84 });
    assert.equal(parsed.draft.locality, "Lyon");
    assert.equal(parsed.draft.maxHops, 2);
  });

  test("bad or forged documents are refused with a reason", async () => {
    const stored = (await findEntryByIri(node.database.db, ENTRY))!;
    const doc = toDirectoryEntryDocument(stored, { tagBase });
    const reasons: [Record<string, unknown>, RegExp][] = [
      [{ ...doc, attributedTo: "https://evil.example/@node" }, /not on its origin's host \(evil\.example\)/],
      [{ ...doc, url: "javascript:alert(1)" }, /^url: must be an http or https URL/],
      [{ ...doc, type: "Note" }, /is not a Page/],
      [{ ...doc, kind: "spaceship", attachment: [] }, /^kind: must be one of/],
      [{ ...doc, name: "" }, /^name: must not be empty/],
      [{ ...doc, name: "x".repeat(201) }, /^name: must be at most 200/],
      [{ ...doc, location: { type: "Place", latitude: 95, longitude: 0 } }, /^location\.latitude: must be between -90 and 90/],
      [{ ...doc, updated: "yesterday" }, /^updatedAt: must be a date/],
      [{ id: 42 }, /^not an entry document/],
    ];
    for (const [bad, reason] of reasons) {
      const parsed = fromDirectoryEntryJson(bad);
      assert.equal(parsed.success, false, JSON.stringify(bad).slice(0, 80));
      if (!parsed.success) assert.match(parsed.error, reason);
    }
  });

  test("remote HTML in a summary is reduced to text; names stay text; tags are normalised", () => {
    const parsed = fromDirectoryEntryJson({
      id: "https://b.example/directory/entries/x",
      type: "Page",
      name: "<b>Bold</b> name",
      summary: "<p>Hello <script>alert(1)</script><a href='javascript:x'>world</a></p>",
      url: { type: "Link", href: "https://b.example/@x" },
      attributedTo: ["https://b.example/@node"],
      updated: "2026-01-01T00:00:00Z",
      tag: [{ type: "Hashtag", name: "#Open-Source" }, { type: "Mention", name: "@someone" }],
      attachment: { type: "http://schema.org#PropertyValue", name: "kind", "http://schema.org#value": "facility" },
    });
    assert.ok(parsed.success, parsed.success ? "" : parsed.error);
    assert.equal(parsed.draft.name, "<b>Bold</b> name");
    assert.equal(parsed.draft.summary, "Hello world");
    assert.deepEqual(parsed.draft.tags, ["opensource"]);
    assert.equal(parsed.draft.kind, "facility");
    assert.equal(parsed.draft.url, "https://b.example/@x");
    assert.equal(parsed.draft.maxHops, 0, "no consent to forward unless stated");
  });
});

describe("received entries", () => {
  let peerB: number;
  let peerC: number;
  before(async () => {
    peerB = await insertPeer(node.database.db, "b.example");
    peerC = await insertPeer(node.database.db, "c.example");
  });
  const stored = (iri: string) => findEntryByIri(node.database.db, iri);

  test("one row per IRI whatever the path; the lowest hop count and its peer are kept", async () => {
    const draft = remoteDraft("c.example", "repair-cafe", { name: "Repair Café" });
    assert.equal((await upsertReceivedEntry(node.database.db, draft, { peerId: peerB, hops: 2 })).outcome, "created");
    assert.equal((await upsertReceivedEntry(node.database.db, draft, { peerId: peerB, hops: 2 })).outcome, "unchanged");
    const shorter = await upsertReceivedEntry(node.database.db, draft, { peerId: peerC, hops: 1 });
    assert.equal(shorter.outcome, "updated");
    assert.equal((await upsertReceivedEntry(node.database.db, draft, { peerId: peerB, hops: 2 })).outcome, "unchanged");
    const row = (await stored(draft.iri))!;
    assert.deepEqual([row.hops, row.receivedFromPeerId, row.origin, row.originHost], [1, peerC, "https://c.example/@node", "c.example"]);
    const count = await node.database.db.selectFrom("directory_entries").select((eb) => eb.fn.countAll<number>().as("n")).where("iri", "=", draft.iri).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  test("content changes only for a newer `updated`", async () => {
    const iri = "https://c.example/directory/entries/repair-cafe";
    await receive(node.database.db, peerC, remoteDraft("c.example", "repair-cafe", { name: "Repair Café (new)", updatedAt: "2026-04-01T00:00:00Z" }));
    assert.equal((await stored(iri))?.name, "Repair Café (new)");
    const older = await upsertReceivedEntry(node.database.db, remoteDraft("c.example", "repair-cafe", { name: "Stale", updatedAt: "2026-03-15T00:00:00Z" }), { peerId: peerC, hops: 1 });
    assert.equal(older.outcome, "unchanged");
    assert.equal((await stored(iri))?.name, "Repair Café (new)");
  });

  test("an existing entry never changes origin, and a local entry is never overwritten", async () => {
    const forged = remoteDraft("c.example", "repair-cafe", { origin: "https://c.example/@other", name: "Forged", updatedAt: "2027-01-01T00:00:00Z" });
    const refused = await upsertReceivedEntry(node.database.db, forged, { peerId: peerB, hops: 1 });
    assert.equal(refused.outcome, "refused");
    assert.equal((await stored("https://c.example/directory/entries/repair-cafe"))?.name, "Repair Café (new)");

    const ours = remoteDraft("city-a.test", "bike-kitchen", { name: "Hijacked", updatedAt: "2027-01-01T00:00:00Z" });
    const local = await upsertReceivedEntry(node.database.db, ours, { peerId: peerB, hops: 1 });
    assert.equal(local.outcome, "refused");
    assert.equal((await stored(ENTRY))?.name, "Bike Kitchen");

    const elsewhere = remoteDraft("c.example", "x", { iri: "https://d.example/directory/entries/x" });
    const offHost = await upsertReceivedEntry(node.database.db, elsewhere, { peerId: peerB, hops: 1 });
    assert.deepEqual(offHost.outcome, "refused");
    assert.equal(await stored("https://d.example/directory/entries/x"), undefined);
  });

  test("removeEntry needs the origin's host; local entries cannot be removed this way", async () => {
    await receive(node.database.db, peerB, remoteDraft("b.example", "tool-shed"));
    assert.equal(await removeEntry(node.database.db, "https://b.example/directory/entries/tool-shed", "c.example"), false);
    assert.ok(await stored("https://b.example/directory/entries/tool-shed"));
    assert.equal(await removeEntry(node.database.db, "https://b.example/directory/entries/tool-shed", "b.example"), true);
    assert.equal(await stored("https://b.example/directory/entries/tool-shed"), undefined);
    assert.equal(await removeEntry(node.database.db, ENTRY, "city-a.test"), false);
    assert.ok(await stored(ENTRY));
  });

  test("removeEntriesFromPeer drops what that peer gave, and only that", async () => {
    await receive(node.database.db, peerB, remoteDraft("b.example", "one"));
    await receive(node.database.db, peerB, remoteDraft("b.example", "two"));
    assert.equal(await removeEntriesFromPeer(node.database.db, peerB), 2);
    assert.equal(await stored("https://b.example/directory/entries/one"), undefined);
    assert.ok(await stored("https://c.example/directory/entries/repair-cafe"), "came through peer C");
    assert.ok(await stored(ENTRY));
  });
});
