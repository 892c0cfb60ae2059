import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { AS, bearer, createNoteActivity, inboxDrained } from "./helpers/timeline-env.ts";

let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let maria: LocalMember;
let joao: LocalMember;
const alicePosts: string[] = [];
let bobPost: string;
let carolPost: string;

const db = () => node.database.db;

async function send(activity: unknown, signer: PeerActor, inbox = "/inbox"): Promise<void> {
  const res = await deliver(node, await peer.signedPost(`${node.config.publicUrl.origin}${inbox}`, activity, signer));
  assert.equal(res.status, 202, res.text);
}

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "bob", "carol"]);
  maria = await createMember(node, "maria");
  joao = await createMember(node, "joao");
  workers = startWorkers(node);
  const { alice, bob, carol } = peer.actors as Record<string, PeerActor>;
  for (const actor of [alice!, bob!]) {
    const res = await node.http.post("/api/v1/follows").set(...bearer(maria)).set("Content-Type", "application/json").send(JSON.stringify({ target: actor.id }));
    assert.equal(res.status, 201, res.text);
    if (actor === alice) {
      await send({ "@context": AS, id: `${alice!.id}#accepts/1`, type: "Accept", actor: alice!.id, object: res.body.followIri }, alice!, "/@maria/inbox");
    }
  }
  await inboxDrained(node);
  const days = ["2026-08-20T10:00:00Z", "2026-08-22T10:00:00Z", "2026-08-21T10:00:00Z"];
  for (const [i, published] of days.entries()) {
    const content = i === 1 ? '<p>Newest <script>alert(1)</script><a href="javascript:alert(2)">x</a></p>' : `<p>Alice ${i}</p>`;
    const activity = createNoteActivity(peer, alice!, { published, content, summary: i === 2 ? "spoilers" : null });
    alicePosts.push(activity.object.id);
    await send(activity, alice!);
  }
  const fromBob = createNoteActivity(peer, bob!);
  const fromCarol = createNoteActivity(peer, carol!);
  bobPost = fromBob.object.id;
  carolPost = fromCarol.object.id;
  await send(fromBob, bob!);
  await send(fromCarol, carol!);
  await inboxDrained(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

describe(`the home timeline on ${ENGINE_LABEL}`, () => {
  test("stores posts of accounts a member follows (accepted) only", async () => {
    const stored = await db().selectFrom("remote_posts").select("iri").execute();
    assert.deepEqual(stored.map((r) => r.iri).sort(), [...alicePosts].sort(), "bob's follow is pending and nobody follows carol");
    assert.ok(!stored.some((r) => r.iri === bobPost || r.iri === carolPost));
  });

  test("GET /api/v1/timeline lists them newest first with the contract's fields, paged with before", async () => {
    const alice = peer.actors.alice!;
    const res = await node.http.get("/api/v1/timeline").set(...bearer(maria));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.items.map((i: { iri: string }) => i.iri), [alicePosts[1], alicePosts[2], alicePosts[0]]);
    assert.equal(res.body.next, null);
    const newest = res.body.items[0];
    assert.deepEqual(newest.author, { iri: alice.id, acct: `alice@${new URL(peer.origin).host}`, name: "alice (peer)", url: `${peer.origin}/@alice`, avatar: null });
    assert.equal(newest.published, "2026-08-22T10:00:00.000Z");
    assert.equal(newest.inReplyTo, null);
    assert.deepEqual(newest.attachments, []);
    assert.match(newest.url, new RegExp(`^${peer.origin}/@alice/\\d+$`));
    assert.doesNotMatch(newest.contentHtml, /<script|javascript:/);
    assert.equal(res.body.items[1].summary, "spoilers");

    const first = await node.http.get("/api/v1/timeline?limit=2").set(...bearer(maria));
    assert.deepEqual(first.body.items.map((i: { iri: string }) => i.iri), [alicePosts[1], alicePosts[2]]);
    assert.equal(typeof first.body.next, "string");
    const second = await node.http.get(`/api/v1/timeline?limit=2&before=${encodeURIComponent(first.body.next)}`).set(...bearer(maria));
    assert.deepEqual(second.body.items.map((i: { iri: string }) => i.iri), [alicePosts[0]]);
    assert.equal(second.body.next, null);
  });

  test("another member sees nothing; anonymous callers get 401; bad paging is a 422", async () => {
    const other = await node.http.get("/api/v1/timeline").set(...bearer(joao));
    assert.deepEqual(other.body, { items: [], next: null });
    assert.equal((await node.http.get("/api/v1/timeline")).status, 401);
    const cursor = await node.http.get("/api/v1/timeline?before=yesterday").set(...bearer(maria));
    assert.equal(cursor.status, 422);
    assert.match(cursor.body.message, /^before: /);
    assert.equal((await node.http.get("/api/v1/timeline?limit=0").set(...bearer(maria))).status, 422);
    assert.equal((await node.http.get("/api/v1/timeline?limit=many").set(...bearer(maria))).status, 422);
  });

  test("the /timeline page shows the follows with their state and the posts with reply forms", async () => {
    const res = await node.http.get("/timeline").set(...bearer(maria));
    assert.equal(res.status, 200);
    const { document } = parseHTML(res.text);
    const follows = [...document.querySelectorAll("li.following-item")].map((li) => [li.querySelector(".handle")?.textContent, li.getAttribute("data-state")]);
    const host = new URL(peer.origin).host;
    assert.deepEqual(follows.sort(), [[`@alice@${host}`, "accepted"], [`@bob@${host}`, "pending"]]);
    const items = [...document.querySelectorAll("article.timeline-item")];
    assert.deepEqual(items.map((a) => a.getAttribute("data-iri")), [alicePosts[1], alicePosts[2], alicePosts[0]]);
    assert.equal(document.querySelectorAll("main script").length, 0);
    assert.equal(items[0]!.querySelector(".e-content")?.textContent?.trim(), "Newest x");
    assert.equal(items[1]!.querySelector("details.content-warning summary")?.textContent, "spoilers");
    const form = items[0]!.querySelector("form.reply-form");
    assert.equal(form?.getAttribute("action"), "/timeline/reply");
    assert.equal(form?.querySelector('input[name="inReplyTo"]')?.getAttribute("value"), alicePosts[1]);
    assert.ok(form?.querySelector('input[name="_csrf"]'));
  });

  test("anonymous visitors are sent to log in; the follow form re-renders its error with 422", async () => {
    const anonymous = await node.http.get("/timeline");
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, "/login?next=%2Ftimeline");

    const bad = await node.http.post("/timeline/follow").set(...bearer(maria)).type("form").send({ target: "nobody at all" });
    assert.equal(bad.status, 422);
    const { document } = parseHTML(bad.text);
    assert.match(document.querySelector("#target-error")?.textContent ?? "", /must be an http\(s\) URL or a handle/);
    assert.equal(document.querySelector("#target")?.getAttribute("value"), "nobody at all");

    const missing = await node.http.post("/timeline/follow").set(...bearer(maria)).type("form").send({ target: `${peer.origin}/users/nobody` });
    assert.equal(missing.status, 422);
    assert.equal(parseHTML(missing.text).document.querySelector("#target-error")?.textContent, `No fediverse account found at ${peer.origin}/users/nobody.`);

    const ok = await node.http.post("/timeline/follow").set(...bearer(maria)).type("form").send({ target: peer.actors.carol!.id });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, "/timeline?done=followed");
    await eventually("carol's Follow", async () => peer.received.find((r) => r.activity.type === "Follow" && r.activity.object === peer.actors.carol!.id));
  });

  test("the OpenAPI document describes the follows, timeline and replies endpoints", async () => {
    const { paths } = (await node.http.get("/api/openapi.json").expect(200)).body;
    assert.ok(paths["/v1/follows"].get && paths["/v1/follows"].delete);
    assert.deepEqual(Object.keys(paths["/v1/follows"].post.responses).sort(), ["200", "201", "401", "422"]);
    assert.deepEqual(paths["/v1/follows"].post.requestBody.content["application/json"].schema.required, ["target"]);
    assert.ok(paths["/v1/timeline"].get.parameters.some((p: { name: string }) => p.name === "before"));
    assert.ok(paths["/v1/replies"].post.responses["201"] && paths["/v1/replies"].post.responses["422"]);
  });
});
