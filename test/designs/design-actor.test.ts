import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { preloadedContexts } from "@fedify/fedify";
import jsonld from "jsonld";
import { parseHTML } from "linkedom";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { assertGolden } from "../projects/golden.ts";
import { AP, asArray, bearer, createMember, createProject, type TestMember } from "../projects/project-fixtures.ts";
import { publish, sha256Of, storedFile } from "./design-fixtures.ts";

let node: TestNode;
let alice: TestMember;

before(async () => {
  node = await createTestNode({ NODE_NAME: "Lyon Commons" });
  alice = await createMember(node, "alice");
  await createProject(node, alice, { handle: "solar-coop", name: "Solar Co-op" });
  const res = await node.http
    .post("/api/v1/designs")
    .set(...bearer(alice))
    .send({
      handle: "solar-dryer",
      name: "Solar dryer",
      summary: "Passive **solar** food dryer.",
      function: "Dries fruit and vegetables with sunlight",
      tags: ["solar", "food"],
      licence: "cern-ohl-s-2.0",
      documentationLicence: "CC-BY-SA-4.0",
      licensor: "Atelier Soleil",
      project: "solar-coop",
    });
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.body, { handle: "solar-dryer", iri: "https://city-a.test/@solar-dryer", url: "https://city-a.test/@solar-dryer" });
  await publish(node, alice, "solar-dryer", { version: "1.0.0", notes: "First release", trl: "OTRL-4", drl: "ODRL-3", bom: [{ part: "Plywood 12 mm", quantity: 2, unit: "sheet", material: "birch", source: "Local timber yard" }] }, [
    storedFile("frame.step", "solid", { mediaType: "model/step", role: "export" }),
    storedFile("photo.png", "png", { mediaType: "image/png", role: "image", preview: { sha256: sha256Of("preview"), width: 320, height: 240 } }),
  ]);
});
after(async () => {
  await node.close();
});

/** Expands with the contexts Fedify preloads, as a peer would: nothing is fetched. */
async function expand(document: unknown): Promise<Record<string, any>> {
  const documentLoader = async (url: string) => {
    const preloaded = preloadedContexts[url];
    if (preloaded === undefined) throw new Error(`would fetch ${url}`);
    return { contextUrl: null, documentUrl: url, document: preloaded };
  };
  const [expanded] = (await jsonld.expand(document, { documentLoader })) as Record<string, any>[];
  return expanded!;
}

async function fetchJson(path: string, accept = AP): Promise<Record<string, any>> {
  const res = await node.http.get(path).set("Accept", accept).expect(200);
  return JSON.parse(res.text);
}

describe("the design's Service actor", () => {
  test("has the fields Mastodon reads, and the licence as a profile field", async () => {
    const actor = await fetchJson("/@solar-dryer");
    assert.equal(actor.type, "Service");
    assert.equal(actor.id, "https://city-a.test/@solar-dryer");
    assert.equal(actor.preferredUsername, "solar-dryer");
    assert.equal(actor.name, "Solar dryer");
    assert.match(actor.summary, /<strong>solar<\/strong>/);
    assert.equal(actor.inbox, "https://city-a.test/@solar-dryer/inbox");
    assert.equal(actor.followers, "https://city-a.test/@solar-dryer/followers");
    assert.equal(actor.endpoints.sharedInbox, "https://city-a.test/inbox");
    assert.equal(actor.manuallyApprovesFollowers, false);
    assert.equal(actor.publicKey.owner, actor.id);
    assert.equal(actor.attributedTo, "https://city-a.test/@alice");
    assert.equal(actor.context, "https://city-a.test/@solar-coop");
    const fields = asArray(actor.attachment).filter((a: any) => a.type === "PropertyValue");
    assert.deepEqual(fields.map((f: any) => f.name), ["Licence", "Documentation licence", "Function", "Current release"]);
    assert.match(fields[0].value, /href="https:\/\/spdx.org\/licenses\/CERN-OHL-S-2.0.html"/);
  });

  test("carries the repository extensions, which expand to the ForgeFed, OKH and SPDX terms", async () => {
    const actor = await fetchJson("/@solar-dryer");
    assert.equal(actor.concreteType, "DesignRepository");
    assert.equal(actor.forks, "https://city-a.test/@solar-dryer/forks");
    assert.equal(actor.madeHere, "https://city-a.test/@solar-dryer/made");
    assert.equal(actor.currentRelease, "https://city-a.test/@solar-dryer/releases/1.0.0");
    assert.deepEqual(actor.license, { licenseId: "CERN-OHL-S-2.0" });
    const expanded = await expand(actor);
    assert.equal(expanded["https://forgefed.org/ns#forks"][0]["@id"], "https://city-a.test/@solar-dryer/forks");
    assert.equal(expanded["https://w3id.org/oseg/ont/okh#function"][0]["@value"], "Dries fruit and vegetables with sunlight");
    assert.equal(expanded["http://spdx.org/rdf/terms#license"][0]["http://spdx.org/rdf/terms#licenseId"][0]["@value"], "CERN-OHL-S-2.0");
  });

  test("matches the golden JSON-LD file", async () => {
    assertGolden("design-service-actor", await fetchJson("/@solar-dryer"));
  });

  test("WebFinger finds it by handle", async () => {
    const res = await node.http.get("/.well-known/webfinger").query({ resource: "acct:solar-dryer@city-a.test" }).expect(200);
    const self = res.body.links.find((l: { rel: string }) => l.rel === "self");
    assert.deepEqual(self, { rel: "self", href: "https://city-a.test/@solar-dryer", type: AP });
  });

  test("its outbox holds the Create of the release announcement", async () => {
    const outbox = await fetchJson("/@solar-dryer/outbox");
    assert.equal(outbox.totalItems, 1);
    const [create] = asArray(outbox.orderedItems);
    assert.equal(create.type, "Create");
    assert.match(create.object.content, /Solar dryer 1\.0\.0 released/);
  });

  test("browsers get a page with the licence and the releases", async () => {
    const res = await node.http.get("/@solar-dryer").set("Accept", "text/html").expect(200);
    const { document } = parseHTML(res.text);
    assert.equal(document.querySelector("h1")?.textContent, "Solar dryer");
    assert.equal(document.querySelector(".design-header .licence-badge")?.textContent, "CERN-OHL-S-2.0");
    assert.equal(document.querySelector(".release-list a.release-link")?.getAttribute("href"), "/@solar-dryer/releases/1.0.0");
  });
});

describe("the release announcement at its id", () => {
  test("ActivityPub clients get the Note; browsers are taken to the release", async () => {
    const [release] = await node.services.designs.releases("solar-dryer");
    const path = `/@solar-dryer/updates/${release!.id}`;
    const note = await fetchJson(path);
    assert.equal(note.type, "Note");
    assert.equal(note.id, `https://city-a.test${path}`);
    assert.equal(note.attributedTo, "https://city-a.test/@solar-dryer");
    assert.equal(note.url, "https://city-a.test/@solar-dryer/releases/1.0.0");
    assert.deepEqual(asArray(note.attachment).map((a: any) => [a.type, a.mediaType, a.url, a.width, a.height]), [
      ["Document", "image/webp", "https://city-a.test/@solar-dryer/releases/1.0.0/files/photo.png/preview", 320, 240],
    ]);
    assertGolden("design-release-note", note);
    const page = await node.http.get(path).set("Accept", "text/html").expect(303);
    assert.equal(page.headers.location, "/@solar-dryer/releases/1.0.0");
  });
});

describe("the release at its URL", () => {
  test("ActivityPub clients get the ForgeFed Release with its files' hashes", async () => {
    const release = await fetchJson("/@solar-dryer/releases/1.0.0");
    assert.deepEqual(release.type, ["Release", "Document"]);
    assert.equal(release.id, "https://city-a.test/@solar-dryer/releases/1.0.0");
    assert.equal(release.name, "v1.0.0");
    assert.equal(release.context, "https://city-a.test/@solar-dryer");
    assert.equal(release.version, "1.0.0");
    assert.equal(release.technologyReadinessLevel, "OTRL-4");
    assert.deepEqual(release.license, { licenseId: "CERN-OHL-S-2.0" });
    assert.equal(release.documentationLicense, "CC-BY-SA-4.0");
    assert.equal(release.billOfMaterials[0].part, "Plywood 12 mm");
    const step = release.attachment.find((a: any) => a.name === "frame.step");
    assert.deepEqual(step, {
      type: "Link",
      name: "frame.step",
      mediaType: "model/step",
      href: "https://city-a.test/@solar-dryer/releases/1.0.0/files/frame.step",
      sha256: sha256Of("solid"),
      size: 5,
      role: "export",
    });
    assert.equal(release.archive, "https://city-a.test/@solar-dryer/releases/1.0.0/archive.zip");
    assertGolden("design-release", release);
  });

  test("the same with Accept: application/ld+json, and its terms expand", async () => {
    const res = await node.http.get("/@solar-dryer/releases/1.0.0").set("Accept", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"').expect(200);
    assert.match(res.headers["content-type"]!, /^application\/ld\+json/);
    const expanded = await expand(JSON.parse(res.text));
    assert.deepEqual(expanded["@type"], ["https://forgefed.org/ns#Release", "https://www.w3.org/ns/activitystreams#Document"]);
    assert.equal(expanded["https://w3id.org/oseg/ont/okh#version"][0]["@value"], "1.0.0");
  });

  test("an unknown version is a 404, for ActivityPub clients and browsers", async () => {
    await node.http.get("/@solar-dryer/releases/9.9.9").set("Accept", AP).expect(404);
    await node.http.get("/@solar-dryer/releases/9.9.9").set("Accept", "text/html").expect(404);
  });

  test("browsers get the release page", async () => {
    const res = await node.http.get("/@solar-dryer/releases/1.0.0").set("Accept", "text/html").expect(200);
    const { document } = parseHTML(res.text);
    assert.deepEqual([...document.querySelectorAll(".release-files a.file-link")].map((a) => a.textContent), ["frame.step", "photo.png"]);
  });

  test("the releases collection lists it", async () => {
    const collection = await fetchJson("/@solar-dryer/releases");
    assert.deepEqual(collection.orderedItems, ["https://city-a.test/@solar-dryer/releases/1.0.0"]);
  });
});

describe("the designs API", () => {
  test("GET a design: releases newest first, maintainers, counts", async () => {
    const res = await node.http.get("/api/v1/designs/solar-dryer").expect(200);
    assert.equal(res.body.licence, "CERN-OHL-S-2.0");
    assert.deepEqual(res.body.project, { handle: "solar-coop", name: "Solar Co-op" });
    assert.deepEqual(res.body.releases.map((r: any) => r.version), ["1.0.0"]);
    assert.deepEqual(res.body.maintainers.map((m: any) => m.handle), ["alice"]);
    assert.equal(res.body.followersCount, 0);
    assert.equal(res.body.forksCount, 0);
    assert.equal(res.body.madeCount, 0);
  });

  test("GET a release: files with preview URLs, manifest and zip URLs", async () => {
    const res = await node.http.get("/api/v1/designs/solar-dryer/releases/1.0.0").expect(200);
    assert.equal(res.body.version, "1.0.0");
    assert.deepEqual(res.body.files.map((f: any) => [f.name, f.size, f.previewUrl]), [
      ["frame.step", 5, null],
      ["photo.png", 3, "https://city-a.test/@solar-dryer/releases/1.0.0/files/photo.png/preview"],
    ]);
    assert.equal(res.body.manifestUrl, "https://city-a.test/@solar-dryer/releases/1.0.0/okh.toml");
    assert.equal(res.body.zipUrl, "https://city-a.test/@solar-dryer/releases/1.0.0/archive.zip");
    assert.deepEqual(res.body.cities, []);
    assert.deepEqual(res.body.announcement.counts, { replies: 0, likes: 0, boosts: 0 });
    await node.http.get("/api/v1/designs/solar-dryer/releases/2.0.0").expect(404);
  });

  test("bad input: unknown licence (422 naming it), taken handle (409), unknown project (422)", async () => {
    const licence = await node.http.post("/api/v1/designs").set(...bearer(alice)).send({ handle: "d2", name: "D2", licence: "Made-Up-1.0" }).expect(422);
    assert.match(licence.body.message, /licence: .*Made-Up-1\.0/);
    const taken = await node.http.post("/api/v1/designs").set(...bearer(alice)).send({ handle: "solar-coop", name: "D2", licence: "MIT" }).expect(409);
    assert.match(taken.body.message, /already taken/);
    const project = await node.http.post("/api/v1/designs").set(...bearer(alice)).send({ handle: "d3", name: "D3", licence: "MIT", project: "nope" }).expect(422);
    assert.match(project.body.message, /project: there is no project @nope/);
    await node.http.post("/api/v1/designs").send({ handle: "d4", name: "D4", licence: "MIT" }).expect(401);
  });

  test("PATCH by a maintainer sends an Update(Service) with the extensions; by anyone else a 403", async () => {
    const bob = await createMember(node, "bob");
    await node.http.patch("/api/v1/designs/solar-dryer").set(...bearer(bob)).send({ name: "Mine" }).expect(403);
    const res = await node.http.patch("/api/v1/designs/solar-dryer").set(...bearer(alice)).send({ name: "Solar dryer v2", function: "Dries food" }).expect(200);
    assert.equal(res.body.name, "Solar dryer v2");
    const rows = await node.database.db.selectFrom("outbox").selectAll().where("sender", "=", "solar-dryer").orderBy("id", "desc").limit(1).execute();
    const update = rows[0]!.activity as Record<string, any>;
    assert.equal(update.type, "Update");
    assert.equal(update.object.type, "Service");
    assert.equal(update.object.name, "Solar dryer v2");
    assert.equal(update.object.concreteType, "DesignRepository");
    const added = await node.http.post("/api/v1/designs/solar-dryer/maintainers").set(...bearer(alice)).send({ handle: "bob@city-a.test" }).expect(201);
    assert.deepEqual(added.body.maintainers.map((m: any) => m.handle), ["alice", "bob"]);
    await node.http.post("/api/v1/designs/solar-dryer/maintainers").set(...bearer(alice)).send({ handle: "bob" }).expect(200);
    const elsewhere = await node.http.post("/api/v1/designs/solar-dryer/maintainers").set(...bearer(alice)).send({ handle: "bob@elsewhere.test" }).expect(422);
    assert.match(elsewhere.body.message, /handle: must be a member of this node/);
    await node.http.post("/api/v1/designs/solar-dryer/maintainers").set(...bearer(alice)).send({ handle: "nobody" }).expect(422);
  });

  test("lists designs", async () => {
    const res = await node.http.get("/api/v1/designs").expect(200);
    assert.deepEqual(res.body.items.map((d: any) => d.handle), ["solar-dryer"]);
  });
});
