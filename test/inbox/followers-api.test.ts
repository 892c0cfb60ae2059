import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, type LocalMember, startWorkers } from "./helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "./helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let maria: LocalMember;
let otto: LocalMember;
let groupIri: string;
const follows: Record<string, string> = {};

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "bob", "carol"]);
  maria = await createMember(node, "maria");
  otto = await createMember(node, "otto");
  await createProjectOf(node, maria, "bikekitchen");
  groupIri = `${node.config.publicUrl.origin}/@bikekitchen`;
  workers = startWorkers(node);
  for (const name of ["alice", "bob", "carol"]) {
    const actor = peer.actors[name]!;
    follows[name] = `${peer.origin}/follows/${name}`;
    const res = await deliver(node, await peer.signedPost(`${groupIri}/inbox`, { "@context": AS, id: follows[name], type: "Follow", actor: actor.id, object: groupIri }, actor));
    assert.equal(res.status, 202);
  }
  await eventually("three followers", async () => ((await node.database.db.selectFrom("followers").select("id").execute()).length === 3 ? true : undefined));
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

const api = "/api/v1/projects/bikekitchen/followers";
const acct = (actor: PeerActor) => `${actor.name}@${new URL(peer.origin).host}`;

describe(`GET /api/v1/projects/{handle}/followers on ${ENGINE_LABEL}`, () => {
  test("lists {total, items: [{acct, iri}]}, oldest first, for anyone", async () => {
    const res = await node.http.get(api).expect(200);
    assert.equal(res.body.total, 3);
    assert.deepEqual(
      res.body.items.map((i: { acct: string; iri: string }) => ({ acct: i.acct, iri: i.iri })),
      ["alice", "bob", "carol"].map((n) => ({ acct: acct(peer.actors[n]!), iri: peer.actors[n]!.id })),
    );
    assert.equal(res.body.next, null);
  });

  test("pages with limit and cursor", async () => {
    const first = await node.http.get(api).query({ limit: 2 }).expect(200);
    assert.equal(first.body.items.length, 2);
    assert.equal(first.body.total, 3);
    const second = await node.http.get(api).query({ limit: 2, cursor: first.body.next }).expect(200);
    assert.deepEqual(second.body.items.map((i: { iri: string }) => i.iri), [peer.actors.carol!.id]);
    assert.equal(second.body.next, null);
  });

  test("an unknown project is 404; a bad limit is 422 naming it", async () => {
    await node.http.get("/api/v1/projects/nothere/followers").expect(404);
    const res = await node.http.get(api).query({ limit: 0 }).expect(422);
    assert.match(res.body.message, /limit/);
  });
});

describe(`removing a follower on ${ENGINE_LABEL}`, () => {
  test("needs a signed-in maintainer: 401 without a token, 403 for other members", async () => {
    await node.http.delete(api).send({ acct: acct(peer.actors.alice!) }).expect(401);
    const res = await node.http.delete(api).set("Authorization", `Bearer ${otto.token}`).send({ acct: acct(peer.actors.alice!) }).expect(403);
    assert.match(res.body.message, /maintainers/);
  });

  test("wants exactly one of acct or iri (422), and 404 for someone who does not follow", async () => {
    const auth = `Bearer ${maria.token}`;
    await node.http.delete(api).set("Authorization", auth).send({}).expect(422);
    await node.http.delete(api).set("Authorization", auth).send({ acct: "a@b.example", iri: "https://b.example/a" }).expect(422);
    await node.http.delete(api).set("Authorization", auth).send({ acct: "nobody@b.example" }).expect(404);
    // The same without a body, in the query string.
    const none = await node.http.delete(api).set("Authorization", auth).expect(422);
    assert.match(none.body.message, /exactly one of acct or iri/);
    await node.http.delete(api).query({ acct: "a@b.example", iri: "https://b.example/a" }).set("Authorization", auth).expect(422);
    await node.http.delete(api).query({ acct: "nobody@b.example" }).set("Authorization", auth).expect(404);
  });

  test("by acct: the follow goes and the follower receives a Reject of its Follow, signed by the Group", async () => {
    const alice = peer.actors.alice!;
    const res = await node.http.delete(api).set("Authorization", `Bearer ${maria.token}`).send({ acct: acct(alice) }).expect(200);
    assert.equal(res.body.removed.iri, alice.id);
    const listed = await node.http.get(api).expect(200);
    assert.equal(listed.body.total, 2);
    const reject = await peer.waitFor("the Reject", (r) => r.activity.type === "Reject");
    assert.equal(reject.verified, true);
    assert.equal(reject.keyId, `${groupIri}#main-key`);
    assert.equal(reject.path, "/users/alice/inbox");
    assert.equal(reject.activity.actor, groupIri);
    assert.deepEqual(reject.activity.object, { id: follows.alice, type: "Follow", actor: alice.id, object: groupIri });
  });

  test("by iri in the query string (no body), and by follower id", async () => {
    const auth = `Bearer ${maria.token}`;
    const res = await node.http.delete(api).query({ iri: peer.actors.bob!.id }).set("Authorization", auth).expect(200);
    assert.equal(res.body.removed.iri, peer.actors.bob!.id);
    const listed = await node.http.get(api).expect(200);
    const carol = listed.body.items[0];
    assert.equal(carol.iri, peer.actors.carol!.id);
    await node.http.delete(`${api}/${carol.id}`).set("Authorization", auth).expect(200);
    await node.http.delete(`${api}/${carol.id}`).set("Authorization", auth).expect(404);
    await node.http.delete(`${api}/not-a-number`).set("Authorization", auth).expect(404);
    assert.equal((await node.http.get(api).expect(200)).body.total, 0);
    const rejected = await peer.waitFor("carol's Reject", (r) => r.activity.type === "Reject" && r.path === "/users/carol/inbox");
    assert.equal((rejected.activity.object as { id: string }).id, follows.carol);
  });

  test("an Undo(Follow) answering our Reject is tolerated", async () => {
    const alice = peer.actors.alice!;
    const undo = { "@context": AS, id: `${alice.id}#follows/1/undo`, type: "Undo", actor: alice.id, object: { id: follows.alice, type: "Follow", actor: alice.id, object: groupIri } };
    assert.equal((await deliver(node, await peer.signedPost(`${groupIri}/inbox`, undo, alice))).status, 202);
  });

  test("is documented in the OpenAPI document", async () => {
    const doc = (await node.http.get("/api/openapi.json").expect(200)).body;
    assert.ok(doc.paths["/v1/projects/{handle}/followers"].get);
    assert.ok(doc.paths["/v1/projects/{handle}/followers"].delete);
    assert.ok(doc.paths["/v1/projects/{handle}/followers/{followerId}"].delete);
  });
});
