import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { assertGolden } from "./golden.ts";
import { AP, asArray, bearer, createMember, createProject, lastOutboxId, outboxRows, postUpdate, PUBLIC, type TestMember, uploadImage } from "./project-fixtures.ts";

let node: TestNode;
let alice: TestMember;
let bob: TestMember;
const GROUP = "https://city-a.test/@solar-coop";
const FOLLOWERS = "https://city-a.test/@solar-coop/followers";

before(async () => {
  node = await createTestNode();
  alice = await createMember(node, "alice");
  bob = await createMember(node, "bob");
  await createProject(node, alice, { handle: "solar-coop", name: "Solar Co-op" });
});
after(async () => {
  await node.close();
});

// Spelled out, as Mastodon writes it; some servers compare the full IRI only.
const isPublic = (value: unknown) => asArray(value).includes(PUBLIC);

describe("posting an update", () => {
  test("writes exactly one outbox row: a Create of the Note from the Group (docs/mastodon.md#notes)", async () => {
    const image = await uploadImage(node, alice, { description: "uploaded alt" });
    const before = await lastOutboxId(node);
    const created = await postUpdate(node, alice, "solar-coop", {
      content: "**Roof survey** this Saturday! #SolarPanels\n\nDetails: https://solar.example/roof",
      images: [{ id: image.id, description: "Aerial photo of the school roof" }],
    });
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.iri, `https://city-a.test/@solar-coop/updates/${created.id}`);
    assert.equal(created.url, created.iri);

    const rows = await outboxRows(node, before);
    assert.equal(rows.length, 1, "exactly one activity");
    const row = rows[0]!;
    assert.equal(row.sender, "solar-coop");
    assert.equal(row.recipients, "followers");
    assert.equal(row.orderingKey, created.iri);

    const create = row.activity as Record<string, any>;
    assert.equal(create.type, "Create");
    assert.equal(create.id, `${created.iri}#create`);
    assert.equal(create.actor, GROUP);
    assert.ok(isPublic(create.to));
    assert.deepEqual(asArray(create.cc), [FOLLOWERS]);
    const note = create.object;
    assert.equal(note.type, "Note");
    assert.equal(note.id, created.iri);
    assert.equal(note.url, created.iri);
    assert.equal(note.attributedTo, create.actor, "Create.actor == attributedTo");
    assert.ok(isPublic(note.to), "to Public");
    assert.deepEqual(asArray(note.cc), [FOLLOWERS], "cc followers");
    assert.ok(!Number.isNaN(Date.parse(note.published)));
    assert.equal(note.published, create.published);
    assert.equal(note.sensitive, false);
    assert.equal(note.updated, undefined, "no `updated` before an edit");
    assert.equal(
      note.content,
      '<p><strong>Roof survey</strong> this Saturday! <a href="https://city-a.test/tags/solarpanels" class="mention hashtag" rel="tag">#<span>SolarPanels</span></a></p>' +
        '<p>Details: <a href="https://solar.example/roof" rel="nofollow noopener noreferrer ugc">https://solar.example/roof</a></p>',
    );
    assert.deepEqual(note.contentMap, { en: note.content });
    assert.deepEqual(asArray(note.tag), [{ type: "Hashtag", href: "https://city-a.test/tags/solarpanels", name: "#solarpanels" }]);
    const [attachment, ...more] = asArray(note.attachment);
    assert.equal(more.length, 0);
    assert.equal(attachment.type, "Image");
    assert.equal(attachment.mediaType, "image/webp");
    assert.equal(attachment.url, image.url);
    assert.equal(attachment.href, undefined, "never href on media");
    assert.equal(attachment.name, "Aerial photo of the school roof");
    assert.equal(attachment.width, 64);
    assert.equal(attachment.height, 48);
    assert.match(attachment.blurhash, /^[0-9A-Za-z#$%*+,-.:;=?@[\]^_{|}~]{6,}$/);
    assert.deepEqual(attachment.focalPoint, [0, 0]);
    assertGolden("update-create", create);
  });

  test("the Note is served at its id, content-negotiated", async () => {
    const created = await postUpdate(node, alice, "solar-coop", { content: "Dereference me #fedi" });
    const path = new URL(created.iri).pathname;
    const ap = await node.http.get(path).set("Accept", AP).expect(200).expect("content-type", /application\/activity\+json/);
    const note = JSON.parse(ap.text);
    assert.equal(note.id, created.iri);
    assert.equal(note.type, "Note");
    assert.equal(note.attributedTo, GROUP);
    const html = await node.http.get(path).set("Accept", "text/html").expect(200);
    assert.match(html.headers["content-type"]!, /text\/html/);
    assert.match(html.text, /Dereference me/);
  });

  test("the outbox lists the Create of each update", async () => {
    const outbox = JSON.parse((await node.http.get("/@solar-coop/outbox").set("Host", "city-a.test").set("Accept", AP).expect(200)).text);
    assert.equal(outbox.totalItems, 2);
    const page = JSON.parse((await node.http.get(new URL(outbox.first).pathname + new URL(outbox.first).search).set("Accept", AP).expect(200)).text);
    const items = asArray(page.orderedItems);
    assert.equal(items.length, 2);
    assert.ok(items.every((i: { type: string; actor: string }) => i.type === "Create" && i.actor === GROUP));
  });

  test("a non-maintainer gets 403 and nothing is sent", async () => {
    const before = await lastOutboxId(node);
    const res = await node.http.post("/api/v1/projects/solar-coop/updates").set(...bearer(bob)).send({ content: "hijack" }).expect(403);
    assert.equal(res.body.error, "forbidden");
    assert.equal((await outboxRows(node, before)).length, 0);
  });

  test("without a token it is 401; for an unknown project 404", async () => {
    await node.http.post("/api/v1/projects/solar-coop/updates").send({ content: "x" }).expect(401);
    await node.http.post("/api/v1/projects/nope/updates").set(...bearer(alice)).send({ content: "x" }).expect(404);
  });

  test("bad input is a 422 naming the field", async () => {
    const empty = await node.http.post("/api/v1/projects/solar-coop/updates").set(...bearer(alice)).send({ content: "   " }).expect(422);
    assert.equal(empty.body.issues[0].path, "content");
    const long = await node.http.post("/api/v1/projects/solar-coop/updates").set(...bearer(alice)).send({ content: "x".repeat(5001) }).expect(422);
    assert.match(long.body.message, /^content: must be at most 5000 characters/);
    const ids = Array.from({ length: 5 }, () => "01a2017f-3585-7af9-bed2-8b15eff06d51");
    const many = await node.http.post("/api/v1/projects/solar-coop/updates").set(...bearer(alice)).send({ content: "x", images: ids }).expect(422);
    assert.match(many.body.message, /images: must have at most 4 images/);
    const bogus = await node.http.post("/api/v1/projects/solar-coop/updates").set(...bearer(alice)).send({ content: "x", images: ["../../etc/passwd"] }).expect(422);
    assert.match(bogus.body.message, /images\.0/);
  });

  test("someone else's upload, or an avatar upload, cannot be attached", async () => {
    const bobs = await uploadImage(node, bob);
    const res = await node.http.post("/api/v1/projects/solar-coop/updates").set(...bearer(alice)).send({ content: "x", images: [bobs.id] }).expect(422);
    assert.equal(res.body.issues[0].path, "images.0");
    assert.match(res.body.message, /no upload .* of yours/);
    const avatar = await uploadImage(node, alice, { purpose: "avatar" });
    const wrong = await node.http.post("/api/v1/projects/solar-coop/updates").set(...bearer(alice)).send({ content: "x", images: [avatar.id] }).expect(422);
    assert.match(wrong.body.message, /made as an avatar/);
  });
});

describe("editing, pinning and deleting", () => {
  let update: { id: string; iri: string };
  let publishedUpdate: string;

  before(async () => {
    update = await postUpdate(node, alice, "solar-coop", { content: "First draft #solar" });
    const res = await node.http.get(`/api/v1/projects/solar-coop/updates/${update.id}`).expect(200);
    publishedUpdate = res.body.published;
  });

  test("an edit sends Update(Note) with an `updated` newer than before", async () => {
    const before = await lastOutboxId(node);
    const res = await node.http.patch(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(alice)).send({ content: "Second draft #solar" }).expect(200);
    assert.equal(res.body.content, "Second draft #solar");
    assert.ok(Date.parse(res.body.edited) > Date.parse(publishedUpdate));
    const rows = await outboxRows(node, before);
    assert.equal(rows.length, 1);
    const activity = rows[0]!.activity as Record<string, any>;
    assert.equal(rows[0]!.orderingKey, update.iri, "ordered with the Create");
    assert.equal(activity.type, "Update");
    assert.match(activity.id, new RegExp(`^${update.iri}#updates/\\d+$`));
    assert.equal(activity.actor, GROUP);
    assert.equal(activity.object.id, update.iri);
    assert.match(activity.object.content, /Second draft/);
    const firstUpdated = Date.parse(activity.object.updated);
    assert.ok(firstUpdated > Date.parse(activity.object.published), "updated is newer than published");
    assertGolden("update-update", activity);

    await node.http.patch(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(alice)).send({ content: "Third draft" }).expect(200);
    const [again] = await outboxRows(node, rows[0]!.id);
    const second = again!.activity as Record<string, any>;
    assert.ok(Date.parse(second.object.updated) > firstUpdated, "each edit's updated is newer than the last");
    assert.notEqual(second.id, activity.id, "a fresh activity id per edit");
  });

  test("pinning sends Add to the featured collection; the featured collection lists the Note", async () => {
    const before = await lastOutboxId(node);
    const res = await node.http.patch(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(alice)).send({ pinned: true }).expect(200);
    assert.equal(res.body.pinned, true);
    const rows = await outboxRows(node, before);
    assert.equal(rows.length, 1, "no Update for a pin alone");
    const add = rows[0]!.activity as Record<string, any>;
    assert.equal(add.type, "Add");
    assert.equal(add.actor, GROUP);
    assert.equal(add.object, update.iri);
    assert.equal(add.target, "https://city-a.test/@solar-coop/featured");
    const featured = JSON.parse((await node.http.get("/@solar-coop/featured").set("Accept", AP).expect(200)).text);
    assert.equal(featured.totalItems, 1);
    assert.equal(asArray(featured.orderedItems)[0].id, update.iri);
  });

  test("pinning another update unpins the first (Remove, then Add)", async () => {
    const other = await postUpdate(node, alice, "solar-coop", { content: "The new pin" });
    const before = await lastOutboxId(node);
    await node.http.patch(`/api/v1/projects/solar-coop/updates/${other.id}`).set(...bearer(alice)).send({ pinned: true }).expect(200);
    const rows = await outboxRows(node, before);
    assert.deepEqual(rows.map((r) => [r.activity.type, r.activity.object]), [["Remove", update.iri], ["Add", other.iri]]);
    const list = await node.http.get("/api/v1/projects/solar-coop/updates").expect(200);
    assert.equal(list.body.items[0].id, other.id, "pinned first");
    assert.equal(list.body.items.filter((i: { pinned: boolean }) => i.pinned).length, 1);
    const unpin = await lastOutboxId(node);
    await node.http.patch(`/api/v1/projects/solar-coop/updates/${other.id}`).set(...bearer(alice)).send({ pinned: false }).expect(200);
    const [remove] = await outboxRows(node, unpin);
    assert.equal(remove!.activity.type, "Remove");
    assert.equal(remove!.activity.target, "https://city-a.test/@solar-coop/featured");
  });

  test("another member cannot edit or delete (403)", async () => {
    await node.http.patch(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(bob)).send({ content: "mine now" }).expect(403);
    await node.http.delete(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(bob)).expect(403);
  });

  test("deleting sends Delete with a Tombstone; the Note then answers 410", async () => {
    const before = await lastOutboxId(node);
    await node.http.delete(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(alice)).expect(204);
    const rows = await outboxRows(node, before);
    assert.equal(rows.length, 1);
    const del = rows[0]!.activity as Record<string, any>;
    assert.equal(rows[0]!.orderingKey, update.iri);
    assert.equal(del.type, "Delete");
    assert.equal(del.id, `${update.iri}#delete`);
    assert.equal(del.actor, GROUP);
    assert.equal(del.object.type, "Tombstone");
    assert.equal(del.object.id, update.iri);
    assertGolden("update-delete", del);

    const path = new URL(update.iri).pathname;
    const ap = await node.http.get(path).set("Accept", AP).expect(410);
    assert.equal(JSON.parse(ap.text).type, "Tombstone");
    await node.http.get(path).set("Accept", "text/html").expect(410);
    await node.http.get(`/api/v1/projects/solar-coop/updates/${update.id}`).expect(410);
    await node.http.patch(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(alice)).send({ content: "back" }).expect(410);
    await node.http.delete(`/api/v1/projects/solar-coop/updates/${update.id}`).set(...bearer(alice)).expect(410);
  });

  test("an unknown update id is 404", async () => {
    await node.http.get("/api/v1/projects/solar-coop/updates/01a2017f-3585-7af9-bed2-8b15eff06d51").expect(404);
    await node.http.get("/api/v1/projects/solar-coop/updates/not-a-uuid").expect(404);
    await node.http.get("/@solar-coop/updates/01a2017f-3585-7af9-bed2-8b15eff06d51").set("Accept", AP).expect(404);
  });
});

describe("replies, likes and boosts", () => {
  test("GET of an update includes the replies and the counts the inbox stored", async () => {
    const update = await postUpdate(node, alice, "solar-coop", { content: "Comment on this" });
    const db = node.database.db;
    const remote = await db
      .insertInto("remote_actors")
      .values({ iri: "https://mastodon.example/users/ana", type: "Person", handle: "ana@mastodon.example", name: "Ana", inbox: "https://mastodon.example/users/ana/inbox" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("remote_posts")
      .values({
        iri: "https://mastodon.example/users/ana/statuses/1",
        author_remote_actor_id: remote.id,
        in_reply_to_iri: update.iri,
        reply_to_note_id: update.id,
        url: "https://mastodon.example/@ana/1",
        content_html: "<p>Count me in!</p>",
        published_at: new Date(),
      })
      .execute();
    await db.insertInto("note_interactions").values({ activity_iri: "https://mastodon.example/users/ana#likes/1", kind: "like", note_id: update.id, remote_actor_id: remote.id }).execute();
    await db.insertInto("note_interactions").values({ activity_iri: "https://mastodon.example/users/ana/statuses/2/activity", kind: "announce", note_id: update.id, remote_actor_id: remote.id }).execute();

    const res = await node.http.get(`/api/v1/projects/solar-coop/updates/${update.id}`).expect(200);
    assert.deepEqual(res.body.counts, { replies: 1, likes: 1, boosts: 1 });
    assert.equal(res.body.replies.length, 1);
    assert.equal(res.body.replies[0].contentHtml, "<p>Count me in!</p>");
    assert.equal(res.body.replies[0].author.acct, "ana@mastodon.example");
    assert.equal(res.body.replies[0].iri, "https://mastodon.example/users/ana/statuses/1");
  });
});

describe("archived projects", () => {
  test("refuse new updates with 409", async () => {
    await createProject(node, alice, { handle: "old-project", name: "Old" });
    await node.http.patch("/api/v1/projects/old-project").set(...bearer(alice)).send({ archived: true }).expect(200);
    const res = await node.http.post("/api/v1/projects/old-project/updates").set(...bearer(alice)).send({ content: "still here?" }).expect(409);
    assert.match(res.body.message, /archived/);
    const project = await node.http.get("/api/v1/projects/old-project").expect(200);
    assert.equal(project.body.archived, true);
  });
});
