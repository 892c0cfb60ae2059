import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { AP, createInboxTestNode, createMember, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { AS, bearer, createNoteActivity, inboxDrained, PUBLIC } from "./helpers/timeline-env.ts";

let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let maria: LocalMember;
let mariaIri: string;
let alicePost: string;

const db = () => node.database.db;

async function send(activity: unknown, signer: PeerActor, inbox = "/inbox"): Promise<void> {
  const res = await deliver(node, await peer.signedPost(`${node.config.publicUrl.origin}${inbox}`, activity, signer));
  assert.equal(res.status, 202, res.text);
}

async function reply(body: unknown, member: LocalMember | null = maria) {
  let call = node.http.post("/api/v1/replies").set("Content-Type", "application/json");
  if (member !== null) call = call.set(...bearer(member));
  return await call.send(JSON.stringify(body));
}

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "bob"]);
  maria = await createMember(node, "maria");
  mariaIri = `${node.config.publicUrl.origin}/@maria`;
  workers = startWorkers(node);
  const alice = peer.actors.alice!;
  const res = await node.http.post("/api/v1/follows").set(...bearer(maria)).set("Content-Type", "application/json").send(JSON.stringify({ target: alice.id }));
  await send({ "@context": AS, id: `${alice.id}#accepts/1`, type: "Accept", actor: alice.id, object: res.body.followIri }, alice, "/@maria/inbox");
  await inboxDrained(node);
  const post = createNoteActivity(peer, alice, { content: "<p>Who brings the tandem?</p>" });
  alicePost = post.object.id;
  await send(post, alice);
  await eventually("alice's post", () => db().selectFrom("remote_posts").select("id").where("iri", "=", alicePost).executeTakeFirst());
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

describe(`members reply to remote posts on ${ENGINE_LABEL}`, () => {
  test("POST /api/v1/replies publishes a Note of the member, delivered to the author's shared inbox as Mastodon expects", async () => {
    const alice = peer.actors.alice!;
    const host = new URL(peer.origin).host;
    const res = await reply({ inReplyTo: alicePost, content: "I **do**! #tandem" });
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.iri, new RegExp(`^${mariaIri}/notes/[0-9a-f-]{36}$`));
    assert.equal(res.body.url, res.body.iri);

    const delivered = await peer.waitFor("the reply", (r) => r.activity.type === "Create" && (r.activity.object as { id?: string }).id === res.body.iri);
    assert.equal(delivered.verified, true);
    assert.equal(delivered.keyId, `${mariaIri}#main-key`);
    assert.equal(delivered.path, "/inbox", "the shared inbox is preferred");
    const create = delivered.activity;
    assert.equal(create.id, `${res.body.iri}/activity`);
    assert.equal(create.actor, mariaIri);
    const note = create.object as Record<string, unknown>;
    assert.equal(note.type, "Note");
    assert.equal(note.attributedTo, mariaIri);
    assert.equal(note.inReplyTo, alicePost);
    assert.equal(note.to, PUBLIC);
    assert.deepEqual(note.cc, [alice.id, `${mariaIri}/followers`]);
    assert.deepEqual(note.tag, { type: "Mention", href: alice.id, name: `@alice@${host}` });
    assert.equal(typeof note.published, "string");
    const content = String(note.content);
    assert.match(content, new RegExp(`^<p><span class="h-card" translate="no"><a href="${peer.origin}/@alice" class="u-url mention">@<span>alice</span></a></span> I <strong>do</strong>!`));
    assert.match(content, /class="mention hashtag" rel="tag">#<span>tandem<\/span><\/a>/);

    const entries = await db().selectFrom("outbox").select(["recipients", "relayed_at", "last_error"]).where("sender", "=", "maria").execute();
    const creates = entries.filter((e) => e.recipients === "followers" || (Array.isArray(e.recipients) && (e.recipients as { id: string }[])[0]?.id === alice.id));
    assert.ok(creates.some((e) => e.recipients === "followers"), "the member's followers get it too");
  });

  test("the reply is dereferenceable at its IRI: a Note for ActivityPub clients, a page for browsers", async () => {
    const res = await reply({ inReplyTo: alicePost, content: "See you there" });
    const path = new URL(res.body.iri).pathname;
    const ap = await node.http.get(path).set("Accept", AP);
    assert.equal(ap.status, 200, ap.text);
    assert.match(ap.headers["content-type"], /application\/activity\+json/);
    const note = JSON.parse(ap.text);
    assert.equal(note.id, res.body.iri);
    assert.equal(note.attributedTo, mariaIri);
    assert.equal(note.inReplyTo, alicePost);

    const page = await node.http.get(path).set("Accept", "text/html");
    assert.equal(page.status, 200);
    const { document } = parseHTML(page.text);
    assert.match(document.querySelector(".member-note .e-content")?.textContent ?? "", /See you there/);
    assert.equal(document.querySelector("a.u-in-reply-to")?.getAttribute("href"), alicePost);
    assert.equal((await node.http.get("/@maria/notes/00000000-0000-7000-8000-000000000000").set("Accept", AP)).status, 404);
  });

  test("a post we never stored is looked up with a signed GET and its author receives the reply", async () => {
    const bob = peer.actors.bob!;
    const iri = `${peer.origin}/users/bob/statuses/77`;
    peer.serve("/users/bob/statuses/77", { "@context": AS, id: iri, type: "Note", content: "<p>Bob's post</p>", attributedTo: bob.id, to: PUBLIC, published: "2026-08-01T00:00:00Z" });
    const res = await reply({ inReplyTo: iri, content: "Hello Bob" });
    assert.equal(res.status, 201, res.text);
    const delivered = await peer.waitFor("the reply to bob", (r) => r.activity.type === "Create" && (r.activity.object as { inReplyTo?: string }).inReplyTo === iri);
    assert.equal(delivered.verified, true);
    assert.deepEqual((delivered.activity.object as { cc: string[] }).cc, [bob.id, `${mariaIri}/followers`]);
  });

  test("bad replies are refused with a 4xx naming the problem", async () => {
    const empty = await reply({ inReplyTo: alicePost, content: "   " });
    assert.equal(empty.status, 422);
    assert.match(empty.body.message, /^content: must not be empty/);
    assert.equal((await reply({ inReplyTo: "javascript:alert(1)", content: "x" })).status, 422);
    assert.equal((await reply({ inReplyTo: alicePost, content: "x".repeat(5001) })).status, 422);
    const missing = await reply({ inReplyTo: `${peer.origin}/statuses/missing`, content: "hello?" });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.message, `inReplyTo: no post found at ${peer.origin}/statuses/missing.`);
    const local = await reply({ inReplyTo: `${mariaIri}/notes/00000000-0000-7000-8000-000000000000`, content: "hi" });
    assert.equal(local.status, 422);
    assert.equal((await reply({ inReplyTo: alicePost, content: "hi" }, null)).status, 401);
  });

  test("the reply form on /timeline publishes, and re-renders an empty reply with its error", async () => {
    const ok = await node.http.post("/timeline/reply").set(...bearer(maria)).type("form").send({ inReplyTo: alicePost, content: "From the form" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, "/timeline?done=replied");
    const note = await db().selectFrom("notes").select(["in_reply_to_iri", "content_source"]).where("content_source", "=", "From the form").executeTakeFirst();
    assert.equal(note?.in_reply_to_iri, alicePost);

    const bad = await node.http.post("/timeline/reply").set(...bearer(maria)).type("form").send({ inReplyTo: alicePost, content: "" });
    assert.equal(bad.status, 422);
    const { document } = parseHTML(bad.text);
    const item = document.querySelector(`article.timeline-item[data-iri="${alicePost}"]`);
    assert.match(item?.querySelector(".field-error")?.textContent ?? "", /Reply must not be empty/);
  });
});
