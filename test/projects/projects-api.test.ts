import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { bearer, createMember, createProject, lastOutboxId, outboxRows, type TestMember, uploadImage } from "./project-fixtures.ts";

let node: TestNode;
let alice: TestMember;
let bob: TestMember;
let carol: TestMember;

before(async () => {
  node = await createTestNode();
  alice = await createMember(node, "alice");
  bob = await createMember(node, "bob");
  carol = await createMember(node, "carol");
});
after(async () => {
  await node.close();
});

describe("POST /api/v1/projects", () => {
  test("creates a project: 201 {id, handle, acct, iri, url}; the creator maintains it", async () => {
    const res = await node.http
      .post("/api/v1/projects")
      .set(...bearer(alice))
      .send({ handle: "Fab-Lab", name: "  Fab Lab  ", summary: "Open **workshop**", tags: ["Makers", "#3D_printing", "makers"], location: { latitude: 45.7, longitude: 4.8 } })
      .expect(201);
    assert.deepEqual(Object.keys(res.body).sort(), ["acct", "handle", "id", "iri", "url"]);
    assert.equal(typeof res.body.id, "number");
    assert.equal(res.body.handle, "fab-lab");
    assert.equal(res.body.acct, "fab-lab@city-a.test");
    assert.equal(res.body.iri, "https://city-a.test/@fab-lab");
    assert.equal(res.body.url, "https://city-a.test/@fab-lab");

    const project = await node.http.get("/api/v1/projects/fab-lab").expect(200);
    assert.equal(project.body.name, "Fab Lab");
    assert.equal(project.body.summary, "Open **workshop**");
    assert.equal(project.body.summaryHtml, "<p>Open <strong>workshop</strong></p>");
    assert.deepEqual(project.body.tags, ["makers", "3d_printing"]);
    assert.deepEqual(project.body.location, { name: null, latitude: 45.7, longitude: 4.8 });
    assert.equal(project.body.website, null);
    assert.equal(project.body.avatar, null);
    assert.equal(project.body.archived, false);
    assert.equal(project.body.followersCount, 0);
    assert.deepEqual(
      project.body.maintainers.map((m: { handle: string }) => m.handle),
      ["alice"],
    );
    const row = await node.database.db.selectFrom("actors").select(["kind", "summary"]).where("handle", "=", "fab-lab").executeTakeFirstOrThrow();
    assert.equal(row.kind, "group");
    const keys = await node.database.db.selectFrom("actor_keys").select("algorithm").where("actor_id", "=", res.body.id).orderBy("algorithm").execute();
    assert.deepEqual(keys.map((k) => k.algorithm), ["Ed25519", "RSASSA-PKCS1-v1_5"]);
  });

  test("the handle is unique across every local actor: 409 for a member's or the node's", async () => {
    const taken = await node.http.post("/api/v1/projects").set(...bearer(alice)).send({ handle: "bob", name: "Bob's" }).expect(409);
    assert.match(taken.body.message, /^handle: @bob is already taken/);
    assert.equal(taken.body.issues[0].path, "handle");
    await node.http.post("/api/v1/projects").set(...bearer(alice)).send({ handle: "fab-lab", name: "Again" }).expect(409);
    const reserved = await node.http.post("/api/v1/projects").set(...bearer(alice)).send({ handle: "node", name: "Node" }).expect(422);
    assert.match(reserved.body.message, /handle: is reserved/);
  });

  test("bad input is a 422 naming each field", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: "No handle" }, /handle/],
      [{ handle: "bad handle!", name: "x" }, /^handle: may contain/],
      [{ handle: "ok-one", name: "" }, /^name: must not be empty/],
      [{ handle: "ok-one", name: "x".repeat(101) }, /^name: must be at most 100 characters/],
      [{ handle: "ok-one", name: "x", summary: "y".repeat(5001) }, /^summary: must be at most 5000 characters/],
      [{ handle: "ok-one", name: "x", tags: ["ok", "2026"] }, /^tags\.1: "2026" is not a tag/],
      [{ handle: "ok-one", name: "x", tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }, /^tags: must have at most 20 tags/],
      [{ handle: "ok-one", name: "x", location: { latitude: 91, longitude: 0 } }, /^location\.latitude: must be between -90 and 90/],
      [{ handle: "ok-one", name: "x", location: { latitude: 0, longitude: -181 } }, /^location\.longitude: must be between -180 and 180/],
      [{ handle: "ok-one", name: "x", location: { name: "Somewhere" } }, /^location\.latitude: must be a number/],
      [{ handle: "ok-one", name: "x", website: "javascript:alert(1)" }, /^website: must be an http or https URL/],
      [{ handle: "ok-one", name: "x", website: "ftp://files.example" }, /^website: must be an http or https URL/],
    ];
    for (const [body, message] of cases) {
      const res = await node.http.post("/api/v1/projects").set(...bearer(alice)).send(body);
      assert.equal(res.status, 422, `${JSON.stringify(body).slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.body.message, message);
    }
    await node.http.post("/api/v1/projects").set(...bearer(alice)).set("Content-Type", "application/json").send("{nope").expect(400);
  });

  test("signing in is required", async () => {
    await node.http.post("/api/v1/projects").send({ handle: "anon", name: "Anon" }).expect(401);
  });

  test("avatar and banner come from the creator's own uploads", async () => {
    const avatar = await uploadImage(node, alice, { purpose: "avatar", description: "Logo" });
    const res = await node.http.post("/api/v1/projects").set(...bearer(alice)).send({ handle: "with-logo", name: "Logo", avatar: avatar.id }).expect(201);
    const project = await node.http.get(`/api/v1/projects/${res.body.handle}`).expect(200);
    assert.equal(project.body.avatar.url, avatar.url);
    assert.equal(project.body.avatar.description, "Logo");
    const bobs = await uploadImage(node, bob, { purpose: "avatar" });
    await node.http.post("/api/v1/projects").set(...bearer(alice)).send({ handle: "stolen-logo", name: "Stolen", avatar: bobs.id }).expect(404);
    await node.http.get("/api/v1/projects/stolen-logo").expect(404);
  });
});

describe("PATCH /api/v1/projects/{handle}", () => {
  before(async () => {
    await createProject(node, alice, { handle: "garden", name: "Garden", tags: ["food"] });
  });

  test("a maintainer edits; other members get 403 and unknown projects 404", async () => {
    await node.http.patch("/api/v1/projects/garden").set(...bearer(bob)).send({ name: "Mine" }).expect(403);
    await node.http.patch("/api/v1/projects/no-garden").set(...bearer(alice)).send({ name: "x" }).expect(404);
    const res = await node.http
      .patch("/api/v1/projects/garden")
      .set(...bearer(alice))
      .send({ name: "Community Garden", website: "https://garden.example", location: { name: "Croix-Rousse", latitude: 45.77, longitude: 4.83 }, tags: ["Food", "Soil"] })
      .expect(200);
    assert.equal(res.body.name, "Community Garden");
    assert.equal(res.body.website, "https://garden.example");
    assert.deepEqual(res.body.location, { name: "Croix-Rousse", latitude: 45.77, longitude: 4.83 });
    assert.deepEqual(res.body.tags, ["food", "soil"]);
    const cleared = await node.http.patch("/api/v1/projects/garden").set(...bearer(alice)).send({ website: null, location: null }).expect(200);
    assert.equal(cleared.body.website, null);
    assert.equal(cleared.body.location, null);
    const bad = await node.http.patch("/api/v1/projects/garden").set(...bearer(alice)).send({ tags: "!!!" }).expect(422);
    assert.match(bad.body.message, /^tags\.0/);
  });

  test("archiving shows as archived and can be undone; archiving alone sends nothing", async () => {
    const before = await lastOutboxId(node);
    const res = await node.http.patch("/api/v1/projects/garden").set(...bearer(alice)).send({ archived: true }).expect(200);
    assert.equal(res.body.archived, true);
    assert.ok(res.body.archivedAt);
    assert.equal((await outboxRows(node, before)).length, 0);
    const back = await node.http.patch("/api/v1/projects/garden").set(...bearer(alice)).send({ archived: false }).expect(200);
    assert.equal(back.body.archived, false);
  });
});

describe("POST /api/v1/projects/{handle}/maintainers", () => {
  test("maintainers add members of this node; added maintainers may post and edit", async () => {
    await createProject(node, alice, { handle: "repair-cafe", name: "Repair Café" });
    await node.http.post("/api/v1/projects/repair-cafe/maintainers").set(...bearer(bob)).send({ handle: "bob" }).expect(403);
    const added = await node.http.post("/api/v1/projects/repair-cafe/maintainers").set(...bearer(alice)).send({ handle: "@bob" }).expect(201);
    assert.deepEqual(added.body.maintainers.map((m: { handle: string }) => m.handle), ["alice", "bob"]);
    await node.http.post("/api/v1/projects/repair-cafe/maintainers").set(...bearer(alice)).send({ handle: "bob@city-a.test" }).expect(200);
    const unknown = await node.http.post("/api/v1/projects/repair-cafe/maintainers").set(...bearer(alice)).send({ handle: "nobody" }).expect(422);
    assert.match(unknown.body.message, /^handle: there is no active member @nobody/);
    const remote = await node.http.post("/api/v1/projects/repair-cafe/maintainers").set(...bearer(alice)).send({ handle: "eve@elsewhere.example" }).expect(422);
    assert.match(remote.body.message, /must be a member of this node/);
    const group = await node.http.post("/api/v1/projects/repair-cafe/maintainers").set(...bearer(alice)).send({ handle: "garden" }).expect(422);
    assert.match(group.body.message, /no active member/);

    await node.http.post("/api/v1/projects/repair-cafe/updates").set(...bearer(bob)).send({ content: "Bob can post" }).expect(201);
    await node.http.patch("/api/v1/projects/repair-cafe").set(...bearer(bob)).send({ name: "Repair Café Lyon" }).expect(200);
    await node.http.post("/api/v1/projects/repair-cafe/updates").set(...bearer(carol)).send({ content: "Carol cannot" }).expect(403);
  });
});

describe("listing and documentation", () => {
  test("GET /api/v1/projects lists the node's projects", async () => {
    const res = await node.http.get("/api/v1/projects").expect(200);
    const handles = res.body.items.map((p: { handle: string }) => p.handle);
    assert.ok(handles.includes("fab-lab") && handles.includes("garden"));
  });

  test("the OpenAPI document describes every project and update path", async () => {
    const res = await node.http.get("/api/openapi.json").expect(200);
    const paths = res.body.paths;
    assert.ok(paths["/v1/projects"].post);
    assert.ok(paths["/v1/projects/{handle}"].get && paths["/v1/projects/{handle}"].patch);
    assert.ok(paths["/v1/projects/{handle}/maintainers"].post);
    assert.ok(paths["/v1/projects/{handle}/updates"].post);
    const update = paths["/v1/projects/{handle}/updates/{id}"];
    assert.ok(update.get && update.patch && update.delete);
    assert.ok(paths["/v1/projects"].post.responses["201"] && paths["/v1/projects"].post.responses["409"]);
  });
});
