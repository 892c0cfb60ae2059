import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { findEntryByIri } from "../../server/modules/directory/directory.queries.ts";
import type { DirectoryChange } from "../../server/modules/directory/local-entries.ts";
import { syncAllProjectEntries as syncAllLocalEntries, syncProjectEntry as syncLocalEntry } from "../../server/modules/projects/index.ts";
import { createProjectsService, type ProjectPublisher } from "../../server/modules/projects/index.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { bearer, browserCookies, createMember, createProject, CSRF_TOKEN, lastOutboxId, outboxRows, type TestMember } from "../projects/project-fixtures.ts";

let node: TestNode;
let alice: TestMember;

const iri = (handle: string) => `https://city-a.test/directory/entries/${handle}`;
const entry = (handle: string) => findEntryByIri(node.database.db, iri(handle));
const patch = (handle: string, body: Record<string, unknown>) => node.http.patch(`/api/v1/projects/${handle}`).set(...bearer(alice)).send(body).expect(200);

before(async () => {
  node = await createTestNode();
  alice = await createMember(node, "alice");
});
after(async () => {
  await node.close();
});

describe("local projects are directory entries", () => {
  test("creating a project lists it: plain-text summary, tags, place, origin = the node actor", async () => {
    await createProject(node, alice, {
      handle: "bike-kitchen",
      name: "Bike Kitchen",
      summary: "We **fix** bikes.\n\nEvery _Tuesday_ #repair",
      tags: ["Repair", "bikes"],
      location: { name: "Guillotière", latitude: 45.75, longitude: 4.84, locality: "Lyon", region: "Auvergne-Rhône-Alpes", country: "fr", bioregion: "Rhône basin" },
    });
    const e = await entry("bike-kitchen");
    assert.ok(e);
    assert.equal(e.kind, "project");
    assert.equal(e.name, "Bike Kitchen");
    assert.equal(e.summary, "We fix bikes.\n\nEvery Tuesday #repair");
    assert.deepEqual(e.tags, ["repair", "bikes"]);
    assert.deepEqual(e.location, { name: "Guillotière", latitude: 45.75, longitude: 4.84 });
    assert.deepEqual([e.locality, e.region, e.country, e.bioregion], ["Lyon", "Auvergne-Rhône-Alpes", "FR", "Rhône basin"]);
    assert.equal(e.url, "https://city-a.test/@bike-kitchen");
    assert.equal(e.origin, "https://city-a.test/@node");
    assert.equal(e.originHost, "city-a.test");
    assert.equal(e.hops, 0);
    assert.equal(e.maxHops, 1, "the default charter's hop limit");
    assert.equal(e.receivedFromPeerId, null);
    assert.ok(e.localActorId !== null);

    const project = await node.http.get("/api/v1/projects/bike-kitchen").expect(200);
    assert.equal(project.body.listed, true);
    assert.deepEqual(project.body.location, { name: "Guillotière", latitude: 45.75, longitude: 4.84, locality: "Lyon", region: "Auvergne-Rhône-Alpes", country: "FR", bioregion: "Rhône basin" });
  });

  test("a project created unlisted has no entry", async () => {
    await createProject(node, alice, { handle: "secret-garden", name: "Secret Garden", listed: false });
    assert.equal(await entry("secret-garden"), undefined);
    assert.equal((await node.http.get("/api/v1/projects/secret-garden").expect(200)).body.listed, false);
  });

  test("an edit the directory shows updates the entry; one it does not show leaves it alone", async () => {
    const before = (await entry("bike-kitchen"))!;
    await patch("bike-kitchen", { website: "https://bikes.example" });
    assert.deepEqual(await entry("bike-kitchen"), before, "the website is not in the directory");
    await patch("bike-kitchen", { name: "Bike Kitchen Lyon", tags: ["repair"], location: { latitude: 45.76, longitude: 4.83, country: "FR" } });
    const after = (await entry("bike-kitchen"))!;
    assert.equal(after.id, before.id);
    assert.equal(after.name, "Bike Kitchen Lyon");
    assert.deepEqual(after.tags, ["repair"]);
    assert.deepEqual(after.location, { name: null, latitude: 45.76, longitude: 4.83 });
    assert.equal(after.locality, null, "location replaced as a whole");
    assert.ok(after.updatedAt > before.updatedAt);
  });

  test("unlisting removes the entry, listing again brings it back", async () => {
    await patch("bike-kitchen", { listed: false });
    assert.equal(await entry("bike-kitchen"), undefined);
    await node.http.get("/directory/entries/bike-kitchen").set("Accept", "application/activity+json").expect(404);
    await patch("bike-kitchen", { listed: true });
    assert.equal((await entry("bike-kitchen"))?.name, "Bike Kitchen Lyon");
  });

  test("archiving removes the entry, unarchiving brings it back", async () => {
    await patch("bike-kitchen", { archived: true });
    assert.equal(await entry("bike-kitchen"), undefined);
    await patch("bike-kitchen", { archived: false });
    assert.ok(await entry("bike-kitchen"));
  });

  test("a bad country is a 422 naming it", async () => {
    const res = await node.http.post("/api/v1/projects").set(...bearer(alice)).send({ handle: "bad-country", name: "X", location: { latitude: 1, longitude: 1, country: "XX" } }).expect(422);
    assert.match(res.body.message, /^location\.country: must be an ISO 3166-1 alpha-2 code/);
  });
});

describe("the web form", () => {
  let cookies: string;
  before(async () => {
    cookies = await browserCookies(node, alice);
  });
  const form = (path: string) => node.http.post(path).set("Cookie", cookies).type("form");

  test("the form has the place fields and the directory box, checked for a new project", async () => {
    const res = await node.http.get("/projects/new").set("Cookie", cookies).expect(200);
    for (const name of ["locality", "region", "country", "bioregion"]) assert.match(res.text, new RegExp(`name="${name}"`));
    assert.match(res.text, /<input type="checkbox" name="listed" value="true" checked>/);
  });

  test("unchecking the box unlists; a form without it (an older page) leaves the choice alone", async () => {
    await form("/projects/new").send({ _csrf: CSRF_TOKEN, handle: "seed-bank", name: "Seed Bank", latitude: "48.85", longitude: "2.35", locality: "Paris", country: "fr" }).expect(303);
    const created = (await entry("seed-bank"))!;
    assert.equal(created.locality, "Paris");
    assert.equal(created.country, "FR");
    await form("/projects/seed-bank/edit").send({ _csrf: CSRF_TOKEN, name: "Seed Bank", listedShown: "1", latitude: "48.85", longitude: "2.35" }).expect(303);
    assert.equal(await entry("seed-bank"), undefined);
    const page = await node.http.get("/projects/seed-bank/edit").set("Cookie", cookies).expect(200);
    assert.match(page.text, /<input type="checkbox" name="listed" value="true" >/);
    await form("/projects/seed-bank/edit").send({ _csrf: CSRF_TOKEN, name: "Seed Bank", listedShown: "1", listed: "true", latitude: "48.85", longitude: "2.35" }).expect(303);
    assert.ok(await entry("seed-bank"));
    await form("/projects/seed-bank/edit").send({ _csrf: CSRF_TOKEN, name: "Seed Bank Paris", latitude: "48.85", longitude: "2.35" }).expect(303);
    assert.equal((await entry("seed-bank"))?.name, "Seed Bank Paris");
  });
});

describe("syncLocalEntry and the directory port of the project publisher", () => {
  const changes: DirectoryChange[] = [];
  const publisher: ProjectPublisher = {
    profileUpdated: async (project) => ({ sender: project.handle, recipients: "followers", activity: { type: "Update", marker: "profile" } }),
    directoryChanged: async (change, trx) => {
      changes.push(change);
      // It may read through the transaction: the entry is already there (or gone).
      const seen = await findEntryByIri(trx, change.kind === "upsert" ? change.entry.iri : change.iri);
      assert.equal(seen === undefined, change.kind === "remove");
      return [{ sender: "node", recipients: "followers", activity: { type: change.kind === "remove" ? "Delete" : change.created ? "Create" : "Update", object: change.kind === "remove" ? change.iri : change.entry.iri } }];
    },
  };
  const projectsWith = (port: ProjectPublisher) => createProjectsService({ db: node.deps.db, box: node.deps.box, publicUrl: node.deps.config.publicUrl, publisher: port });

  test("create, edit, unlist: one change each, its drafts committed with the project", async () => {
    const projects = projectsWith(publisher);
    const start = await lastOutboxId(node);
    await projects.create(alice.actorId, { handle: "fab-lab", name: "Fab Lab", summary: "", tags: ["makers"], listed: true });
    await projects.edit(alice.actorId, "fab-lab", { summary: "Lasers" });
    await projects.edit(alice.actorId, "fab-lab", { website: "https://fab.example" });
    await projects.edit(alice.actorId, "fab-lab", { listed: false });
    assert.deepEqual(
      changes.map((c) => [c.kind, c.kind === "upsert" ? c.created : null, c.entry.summary]),
      [
        ["upsert", true, ""],
        ["upsert", false, "Lasers"],
        ["remove", null, "Lasers"],
      ],
    );
    const nodeRows = (await outboxRows(node, start)).filter((r) => r.sender === "node");
    assert.deepEqual(
      nodeRows.map((r) => [r.activity.type, r.activity.object]),
      [
        ["Create", iri("fab-lab")],
        ["Update", iri("fab-lab")],
        ["Delete", iri("fab-lab")],
      ],
    );
  });

  test("a failing port rolls the project back with its entry", async () => {
    const failing: ProjectPublisher = { ...publisher, directoryChanged: async () => Promise.reject(new Error("translation failed")) };
    await assert.rejects(projectsWith(failing).create(alice.actorId, { handle: "doomed", name: "Doomed", summary: "", tags: [], listed: true }), /translation failed/);
    assert.equal(await entry("doomed"), undefined);
    assert.equal((await node.database.db.selectFrom("actors").select("id").where("handle", "=", "doomed").execute()).length, 0);
  });

  test("syncLocalEntry returns null when nothing changed; syncAllLocalEntries restores missing entries", async () => {
    const project = await node.database.db.selectFrom("actors").select("id").where("handle", "=", "bike-kitchen").executeTakeFirstOrThrow();
    assert.equal(await node.database.db.transaction().execute((trx) => syncLocalEntry(trx, node.config.publicUrl, project.id)), null);
    await node.database.db.deleteFrom("directory_entries").where("local_actor_id", "is not", null).execute();
    const restored = await syncAllLocalEntries(node.database.db, node.config.publicUrl);
    const listed = await node.database.db.selectFrom("directory_entries").select("iri").orderBy("iri").execute();
    assert.deepEqual(
      listed.map((r) => r.iri),
      [iri("bike-kitchen"), iri("seed-bank")],
      "unlisted ones (secret-garden, fab-lab) stay out",
    );
    assert.equal(restored, 2);
    assert.equal(await syncAllLocalEntries(node.database.db, node.config.publicUrl), 0);
  });
});
