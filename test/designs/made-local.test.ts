import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { bearer, createMember, type DesignRelease, lyonReport, type Member, publishDesign, uploadPhoto } from "./made-fixtures.ts";

/**
 * "Made here" on one node: a member who does not maintain the design reports builds of its release;
 * the reports are stored, counted (cities as distinct places), told to the design's followers with a
 * Note, served as ActivityPub documents, and bad input is refused naming the field with nothing stored.
 */

let node: TestNode;
let maria: Member;
let ines: Member;
let dryer: DesignRelease;

before(async () => {
  node = await createTestNode();
  maria = await createMember(node, "maria");
  ines = await createMember(node, "ines");
  dryer = await publishDesign(node, maria, "dryer", "Solar dryer");
});
after(async () => {
  await node?.close();
});

const reportPath = (version = "1.0.0") => `/api/v1/designs/dryer/releases/${version}/made`;

async function report(body: Record<string, unknown>, as: Member = ines) {
  return await node.http.post(reportPath()).set(...bearer(as)).send(body);
}

async function storedReports(): Promise<number> {
  const row = await node.database.db.selectFrom("made_reports").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe(`made here on one node (${ENGINE_LABEL})`, () => {
  let firstId = "";

  test("any member reports a build with a photo: 201 with the report, and the design's followers get a Note", async () => {
    const photo = await uploadPhoto(node, ines, "Three dryers on a roof garden");
    const res = await report(lyonReport({ media: [{ id: photo }] }));
    assert.equal(res.status, 201, res.text);
    firstId = res.body.id;
    assert.equal(res.body.iri, `https://city-a.test/made/${firstId}`);
    assert.equal(res.body.release, dryer.releaseIri);
    assert.equal(res.body.place, "Lyon");
    assert.equal(res.body.local, true);
    assert.deepEqual(res.body.reporter, { iri: "https://city-a.test/@ines", name: "Member ines" });
    assert.match(res.body.notesHtml, /<strong>three<\/strong>/);
    assert.equal(res.body.photos[0].alt, "Three dryers on a roof garden");
    assert.deepEqual(res.body.chain.map((l: { design: string }) => l.design), [dryer.designIri], "the chain of an original is the design itself");

    const outbox = await node.database.db.selectFrom("outbox").selectAll().where("sender", "=", "dryer").orderBy("id", "desc").execute();
    const announced = outbox.find((row) => (row.activity as any).object?.id === `https://city-a.test/@dryer/made/${firstId}`);
    assert.ok(announced, "the design posts a Note about the build");
    assert.equal(announced.recipients, "followers");
    const note = (announced.activity as any).object;
    assert.equal(note.type, "Note");
    assert.equal(note.attributedTo, dryer.designIri);
    assert.match(note.content, /^<p>Made in Lyon: Solar dryer 1\.0\.0 — Built three for the roof garden\.<\/p>$/);
    assert.deepEqual([note.to].flat(), ["https://www.w3.org/ns/activitystreams#Public"]);
    assert.equal(note.attachment[0].name, "Three dryers on a roof garden", "Mastodon shows the alt text from name");
    assert.equal(note.attachment[0].type, "Image");
    // An original on this node has no other design to tell: no EconomicEvent leaves.
    assert.equal(outbox.filter((row) => row.sender === "ines").length, 0);
  });

  test("two reports in Lyon and 'lyon ' count as made 2 in 1 city, per release, per design and on the map", async () => {
    const res = await report(lyonReport({ place: "lyon ", latitude: 45.76, longitude: 4.84, media: [] }), maria);
    assert.equal(res.status, 201, res.text);
    const list = await node.http.get("/api/v1/designs/dryer/made");
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.madeCount, 2);
    assert.equal(list.body.cities, 1);
    assert.equal(list.body.items.length, 2);
    assert.equal(list.body.map.length, 1);
    assert.equal(list.body.map[0].count, 2);
    const counts = await node.services.madeReports.countsFor([dryer.releaseIri, "https://city-a.test/@dryer/releases/0.0.1"]);
    assert.deepEqual(counts.get(dryer.releaseIri), { made: 2, cities: 1 });
    assert.deepEqual(counts.get("https://city-a.test/@dryer/releases/0.0.1"), { made: 0, cities: 0 });
    const design = await node.services.designs.require("dryer");
    assert.deepEqual(await node.services.madeReports.countForDesign(design.actorId), { made: 2, cities: 1 });
    assert.equal(list.body.map[0].place, "Lyon");

    const release = await node.http.get("/api/v1/designs/dryer/releases/1.0.0");
    assert.equal(release.status, 200, release.text);
    assert.equal(release.body.madeCount, 2, "the release shows how many times it was made");
    assert.deepEqual(release.body.cities, ["Lyon"], "and in which cities");
    const shown = await node.http.get("/api/v1/designs/dryer");
    assert.equal(shown.body.madeCount, 2, "the design shows its builds");

    const directory = await node.http.get("/api/v1/directory?kind=design");
    assert.equal(directory.status, 200, directory.text);
    const listed = directory.body.items.find((i: { url: string }) => i.url === "https://city-a.test/@dryer");
    assert.equal(listed?.design.madeCount, 2, `the directory lists the builds (${directory.text})`);
    assert.deepEqual(listed.design.madePlaces, [{ latitude: 45.764, longitude: 4.8357 }, { latitude: 45.76, longitude: 4.84 }]);
    const near = await node.http.get("/api/v1/directory?kind=design&made_near=45.75,4.85&made_radius_km=5");
    assert.ok(near.body.items.some((i: { url: string }) => i.url === "https://city-a.test/@dryer"), "found as made near Lyon");
    const far = await node.http.get("/api/v1/directory?kind=design&made_near=44.49,11.34&made_radius_km=5");
    assert.ok(!far.body.items.some((i: { url: string }) => i.url === "https://city-a.test/@dryer"), "not near Bologna");
  });

  test("the made-here collection and the report are ActivityPub documents with the EconomicEvent", async () => {
    const collection = await node.http.get("/@dryer/made").set("Accept", "application/activity+json");
    assert.equal(collection.status, 200, collection.text);
    const doc = JSON.parse(collection.text);
    assert.equal(doc.type, "OrderedCollection");
    assert.equal(doc.id, "https://city-a.test/@dryer/made");
    assert.equal(doc.totalItems, 2);
    const event = doc.orderedItems.find((e: { id: string }) => e.id === `https://city-a.test/made/${firstId}`);
    assert.deepEqual(event.type, ["Object", "EconomicEvent"]);
    assert.equal(event.action, "produce");
    assert.equal(event.resourceConformsTo, dryer.releaseIri);
    assert.deepEqual(event.toLocation, { type: "Place", name: "Lyon", latitude: 45.764, longitude: 4.8357 });
    assert.equal(event.deviations, "Float glass instead of polycarbonate.");

    const single = await node.http.get(`/made/${firstId}`).set("Accept", "application/activity+json");
    assert.equal(single.status, 200, single.text);
    assert.equal(JSON.parse(single.text).hasPointInTime, "2026-10-02T15:00:00.000Z");
    const browser = await node.http.get(`/made/${firstId}`).set("Accept", "text/html");
    assert.equal(browser.status, 303);
    assert.equal(browser.headers.location, dryer.releaseIri);
  });

  test("a report for a release that does not exist is a 404 naming it", async () => {
    const res = await node.http.post(reportPath("9.9.9")).set(...bearer(ines)).send(lyonReport());
    assert.equal(res.status, 404, res.text);
    assert.match(res.body.message, /9\.9\.9/);
    const unknownDesign = await node.http.post("/api/v1/designs/nothing-here/releases/1.0.0/made").set(...bearer(ines)).send(lyonReport());
    assert.equal(unknownDesign.status, 404, unknownDesign.text);
  });

  test("bad coordinates, dates and photos are 422s naming the field, and nothing is stored", async () => {
    const before = await storedReports();
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ["latitude out of range", { latitude: 91 }, "latitude", /between -90 and 90/],
      ["longitude not a number", { longitude: "east" }, "longitude", /number/],
      ["a build in the future", { madeAt: "2999-01-01" }, "madeAt", /future/],
      ["a build before 1900", { madeAt: "1899-12-31" }, "madeAt", /1900/],
      ["a date that is not one", { madeAt: "last tuesday" }, "madeAt", /ISO 8601/],
      ["no place", { place: "  " }, "place", /empty/],
      ["a directory entry that is not a URL", { directoryEntry: "javascript:alert(1)" }, "directoryEntry", /http/],
    ];
    for (const [what, override, path, message] of cases) {
      const res = await report(lyonReport(override));
      assert.equal(res.status, 422, `${what}: ${res.text}`);
      const issue = res.body.issues.find((i: { path: string }) => i.path === path);
      assert.ok(issue, `${what}: an issue names ${path} (${res.text})`);
      assert.match(issue.message, message, what);
    }

    const noAlt = await uploadPhoto(node, ines, "");
    const withoutAlt = await report(lyonReport({ media: [{ id: noAlt }] }));
    assert.equal(withoutAlt.status, 422, withoutAlt.text);
    assert.equal(withoutAlt.body.issues[0].path, "media.0.description");
    assert.match(withoutAlt.body.message, /alt text/);
    const described = await report(lyonReport({ media: [{ id: noAlt, description: "A dryer in the sun" }] }));
    assert.equal(described.status, 201, `alt text given with the report is enough: ${described.text}`);

    const mariasPhoto = await uploadPhoto(node, maria, "Maria's photo");
    const notYours = await report(lyonReport({ media: [{ id: mariasPhoto }] }));
    assert.equal(notYours.status, 422, notYours.text);
    assert.equal(notYours.body.issues[0].path, "media.0.id");

    assert.equal(await storedReports(), before + 1, "only the report with alt text was stored");
    const anonymous = await node.http.post(reportPath()).send(lyonReport());
    assert.equal(anonymous.status, 401);
  });
});
