import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { AS, bearer, inboxDrained } from "./helpers/timeline-env.ts";

let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let maria: LocalMember;
let mariaIri: string;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "bob", "carol", "dave", "erin"]);
  maria = await createMember(node, "maria");
  mariaIri = `${node.config.publicUrl.origin}/@maria`;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

const db = () => node.database.db;

async function follow(target: string, member = maria) {
  return await node.http.post("/api/v1/follows").set(...bearer(member)).set("Content-Type", "application/json").send(JSON.stringify({ target }));
}

async function followingOf(actor: PeerActor) {
  return await db()
    .selectFrom("following")
    .innerJoin("remote_actors", "remote_actors.id", "following.remote_actor_id")
    .select(["following.id", "following.state", "following.follow_iri"])
    .where("remote_actors.iri", "=", actor.id)
    .where("following.local_actor_id", "=", maria.actorId)
    .executeTakeFirst();
}

let answers = 0;
async function answer(type: "Accept" | "Reject", signer: PeerActor, object: unknown): Promise<void> {
  const activity = { "@context": AS, id: `${signer.id}#answers/${++answers}`, type, actor: signer.id, object };
  const res = await deliver(node, await peer.signedPost(`${mariaIri}/inbox`, activity, signer));
  assert.equal(res.status, 202, res.text);
  await inboxDrained(node);
}

describe(`a member follows remote accounts on ${ENGINE_LABEL}`, () => {
  test("POST /api/v1/follows resolves the URL, stores a pending follow and sends a Follow signed by the member", async () => {
    const alice = peer.actors.alice!;
    const res = await follow(alice.id);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.state, "pending");
    assert.deepEqual(res.body.target, { iri: alice.id, acct: `alice@${new URL(peer.origin).host}`, name: "alice (peer)", url: `${peer.origin}/@alice`, avatar: null });
    assert.match(res.body.followIri, new RegExp(`^${mariaIri}#follows/[0-9a-f-]{36}$`));

    const delivered = await peer.waitFor("the Follow", (r) => r.activity.type === "Follow" && r.activity.id === res.body.followIri);
    assert.equal(delivered.verified, true);
    assert.equal(delivered.path, "/users/alice/inbox", "Follow goes to the personal inbox");
    assert.equal(delivered.keyId, `${mariaIri}#main-key`);
    assert.equal(delivered.activity.actor, mariaIri);
    assert.equal(delivered.activity.object, alice.id);

    const again = await follow(alice.id);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, res.body.id);
    const list = await node.http.get("/api/v1/follows").set(...bearer(maria));
    assert.deepEqual(list.body.items.map((i: { target: { iri: string } }) => i.target.iri), [alice.id]);
  });

  test("an Accept from anyone but the followee, or for another Follow id, changes nothing (AUTHZ-10)", async () => {
    const alice = peer.actors.alice!;
    const bob = peer.actors.bob!;
    const row = await followingOf(alice);
    assert.ok(row);
    await answer("Accept", bob, row.follow_iri);
    await answer("Accept", bob, { id: row.follow_iri, type: "Follow", actor: mariaIri, object: alice.id });
    await answer("Accept", alice, `${mariaIri}#follows/00000000-0000-7000-8000-000000000000`);
    await answer("Accept", alice, { id: `${mariaIri}#follows/other`, type: "Follow", actor: mariaIri, object: bob.id });
    assert.equal((await followingOf(alice))?.state, "pending");
  });

  test("the followee's Accept of our exact Follow (embedded, as Mastodon sends it) makes it accepted", async () => {
    const alice = peer.actors.alice!;
    const row = await followingOf(alice);
    await answer("Accept", alice, { id: row!.follow_iri, type: "Follow", actor: mariaIri, object: alice.id });
    assert.equal((await followingOf(alice))?.state, "accepted");
    const list = await node.http.get("/api/v1/follows").set(...bearer(maria));
    assert.equal(list.body.items[0].state, "accepted");
  });

  test("an Accept naming the Follow by its id only, and one embedding a Follow with another id but our member and the followee, are accepted", async () => {
    const bob = peer.actors.bob!;
    const carol = peer.actors.carol!;
    assert.equal((await follow(bob.id)).status, 201);
    assert.equal((await follow(carol.id)).status, 201);
    await answer("Accept", bob, (await followingOf(bob))!.follow_iri);
    await answer("Accept", carol, { id: "https://elsewhere.example/follow/1", type: "Follow", actor: mariaIri, object: carol.id });
    assert.equal((await followingOf(bob))?.state, "accepted");
    assert.equal((await followingOf(carol))?.state, "accepted");
  });

  test("a Reject from the followee removes the follow; one from someone else does not", async () => {
    const dave = peer.actors.dave!;
    assert.equal((await follow(dave.id)).status, 201);
    const row = (await followingOf(dave))!;
    await answer("Reject", peer.actors.alice!, row.follow_iri);
    assert.equal((await followingOf(dave))?.state, "pending");
    await answer("Reject", dave, { id: row.follow_iri, type: "Follow", actor: mariaIri, object: dave.id });
    assert.equal(await followingOf(dave), undefined);
  });

  test("DELETE /api/v1/follows sends Undo(Follow) with the original Follow and removes the follow", async () => {
    const erin = peer.actors.erin!;
    const created = await follow(erin.id);
    const res = await node.http.delete("/api/v1/follows").set(...bearer(maria)).set("Content-Type", "application/json").send(JSON.stringify({ target: erin.id }));
    assert.equal(res.status, 204, res.text);
    assert.equal(await followingOf(erin), undefined);
    const undo = await peer.waitFor("the Undo", (r) => r.activity.type === "Undo" && (r.activity.object as { id?: string })?.id === created.body.followIri);
    assert.equal(undo.verified, true);
    assert.equal(undo.activity.id, `${created.body.followIri}/undo`);
    assert.deepEqual(undo.activity.object, { id: created.body.followIri, type: "Follow", actor: mariaIri, object: erin.id });
    const missing = await node.http.delete("/api/v1/follows").set(...bearer(maria)).set("Content-Type", "application/json").send(JSON.stringify({ target: erin.id }));
    assert.equal(missing.status, 404);
  });

  test("DELETE /api/v1/follows?target= unfollows without a body (the JSON body of the test above is the deprecated form)", async () => {
    const erin = peer.actors.erin!;
    const created = await follow(erin.id);
    assert.equal(created.status, 201, created.text);
    const res = await node.http.delete("/api/v1/follows").query({ target: erin.id }).set(...bearer(maria));
    assert.equal(res.status, 204, res.text);
    assert.equal(await followingOf(erin), undefined);
    const undo = await peer.waitFor("the second Undo", (r) => r.activity.type === "Undo" && (r.activity.object as { id?: string })?.id === created.body.followIri);
    assert.equal(undo.verified, true);
    // A Content-Type without content (some clients always send one) still reads the query.
    const again = await node.http.delete("/api/v1/follows").query({ target: erin.id }).set(...bearer(maria)).set("Content-Type", "application/json");
    assert.equal(again.status, 404, again.text);
    const noTarget = await node.http.delete("/api/v1/follows").set(...bearer(maria));
    assert.equal(noTarget.status, 422);
    assert.match(noTarget.body.message, /^target: /);
  });

  test("bad targets are refused with 422 naming what is wrong; anonymous callers with 401", async () => {
    const notATarget = await follow("not a handle");
    assert.equal(notATarget.status, 422);
    assert.match(notATarget.body.message, /^target: must be an http\(s\) URL or a handle/);
    assert.equal((await follow("ftp://example.org/alice")).status, 422);

    const nobody = await follow(`${peer.origin}/users/nobody`);
    assert.equal(nobody.status, 422);
    assert.equal(nobody.body.message, `No fediverse account found at ${peer.origin}/users/nobody.`);

    peer.serve("/notes/1", { "@context": AS, id: `${peer.origin}/notes/1`, type: "Note", content: "not an actor", attributedTo: peer.actors.alice!.id });
    const note = await follow(`${peer.origin}/notes/1`);
    assert.equal(note.status, 422);

    // Handles are looked up with WebFinger over https, which a plain-http loopback peer cannot answer.
    const handle = await follow(`@alice@${new URL(peer.origin).host}`);
    assert.equal(handle.status, 422);
    assert.equal(handle.body.message, `No fediverse account found at @alice@${new URL(peer.origin).host}.`);

    const local = await follow(`${node.config.publicUrl.origin}/@maria`);
    assert.equal(local.status, 422);
    assert.match(local.body.message, /is on this node/);

    const anonymous = await node.http.post("/api/v1/follows").set("Content-Type", "application/json").send(JSON.stringify({ target: peer.actors.alice!.id }));
    assert.equal(anonymous.status, 401);
    const rows = await db().selectFrom("following").select("id").where("local_actor_id", "=", maria.actorId).execute();
    assert.equal(rows.length, 3, "alice, bob and carol; nothing from the refused requests");
  });
});
