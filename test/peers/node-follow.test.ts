import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken } from "../../server/modules/accounts/credential.repository.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, eventually, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver } from "../inbox/helpers/signing-peer.ts";
import { createFakeNode, type FakeNode } from "./helpers/fake-node.ts";

/**
 * Another node asking ours to connect (a Follow of our node actor), answered by our charter in each
 * federation mode, with real signatures both ways: the fake nodes verify what they receive.
 */

let node: TestNode;
let workers: { stop(): Promise<void> };
let token: string;
const fakes: FakeNode[] = [];
/** The node of the first test, which we follow (accepted) once it ran. */
let followed: FakeNode;
const nodeActor = () => `${node.config.publicUrl.origin}/@node`;

before(async () => {
  node = await createInboxTestNode();
  workers = startWorkers(node);
  const actor = await insertActor(node.database.db, { handle: "root", kind: "person", name: "Root", summary: "" });
  const accountId = await insertAccount(node.database.db, { actorId: actor!.id, passwordHash: "unused", role: "admin", status: "active" });
  token = (await createApiToken(node.database.db, accountId, "tests")).token;
});
after(async () => {
  await workers.stop();
  for (const fake of fakes) await fake.close();
  await node.close();
});

// Each fake on its own loopback address: a charter names hosts without ports.
async function fakeNode(): Promise<FakeNode> {
  const fake = await createFakeNode(node, `127.0.0.${fakes.length + 2}`);
  fakes.push(fake);
  return fake;
}

async function setFederation(federation: { mode: string; allow?: string[]; block?: string[] }, hopLimit = 1, acceptKinds = ["project", "coop", "design", "facility"]) {
  const res = await node.http
    .put("/api/v1/admin/charter")
    .set("Authorization", `Bearer ${token}`)
    .send({ registration: "open", federation: { allow: [], block: [], ...federation }, directory: { hopLimit, acceptKinds }, note: `mode ${federation.mode}` });
  assert.ok(res.status === 201 || res.status === 200, res.text);
}

async function peers(): Promise<{ id: number; host: string; state: string; weFollow: string; theyFollow: string }[]> {
  const res = await node.http.get("/api/v1/admin/peers").set("Authorization", `Bearer ${token}`);
  assert.equal(res.status, 200, res.text);
  return res.body.items;
}

function follow(fake: FakeNode, n: number) {
  return { id: `${fake.actor.id}#follows/${n}`, type: "Follow", actor: fake.actor.id, object: nodeActor() };
}

async function nodeFollowers(): Promise<string[]> {
  const rows = await node.database.db
    .selectFrom("followers as f")
    .innerJoin("remote_actors as r", "r.id", "f.remote_actor_id")
    .innerJoin("actors as a", "a.id", "f.local_actor_id")
    .select("r.iri")
    .where("a.handle", "=", "node")
    .execute();
  return rows.map((r) => r.iri);
}

describe(`another node's Follow of our node actor on ${ENGINE_LABEL}`, () => {
  test("open mode: accepted and followed back; its Accept of ours starts the backfill; its Undo ends its follow", async () => {
    await setFederation({ mode: "open" });
    const fake = await fakeNode();
    followed = fake;
    const genuine = fake.entryDocument("f-kitchen", { name: "Fake kitchen" });
    fake.serveDirectory([genuine]);
    assert.equal((await fake.post(node, `${nodeActor()}/inbox`, follow(fake, 1))).status, 202);

    const accept = await fake.peer.waitFor("our Accept", (r) => r.activity.type === "Accept");
    assert.equal(accept.verified, true);
    assert.equal(accept.keyId, `${nodeActor()}#main-key`);
    assert.equal(accept.path, "/users/node/inbox");
    assert.deepEqual((accept.activity.object as Record<string, unknown>).id, `${fake.actor.id}#follows/1`);
    const followBack = await fake.peer.waitFor("our Follow back", (r) => r.activity.type === "Follow");
    assert.equal(followBack.verified, true);
    assert.equal(followBack.activity.actor, nodeActor());
    assert.equal(followBack.activity.object, fake.actor.id);
    assert.deepEqual(await nodeFollowers(), [fake.actor.id]);
    assert.deepEqual((await peers()).map((p) => [p.host, p.state, p.weFollow, p.theyFollow]), [[fake.host, "pending", "pending", "accepted"]]);

    // The fake accepts our Follow: we follow it, and read its directory.
    const acceptOurs = { id: `${fake.actor.id}#accepts/1`, type: "Accept", actor: fake.actor.id, object: followBack.activity.id };
    assert.equal((await fake.post(node, `${node.config.publicUrl.origin}/inbox`, acceptOurs)).status, 202);
    await eventually("the backfilled entry", async () => {
      const row = await node.database.db.selectFrom("directory_entries").selectAll().where("iri", "=", genuine.id as string).executeTakeFirst();
      return row ?? undefined;
    });
    const stored = await node.database.db.selectFrom("directory_entries").selectAll().where("iri", "=", genuine.id as string).executeTakeFirstOrThrow();
    assert.equal(stored.name, "Fake kitchen");
    assert.equal(stored.origin, fake.actor.id);
    assert.equal(stored.hops, 1);
    assert.deepEqual((await peers()).map((p) => [p.host, p.state]), [[fake.host, "connected"]]);

    // It leaves: no longer a follower of our node actor; we still follow it.
    const undo = { id: `${fake.actor.id}#follows/1/undo`, type: "Undo", actor: fake.actor.id, object: follow(fake, 1) };
    assert.equal((await fake.post(node, `${nodeActor()}/inbox`, undo)).status, 202);
    await eventually("the follower removed", async () => ((await nodeFollowers()).length === 0 ? true : undefined));
    assert.deepEqual((await peers()).map((p) => [p.host, p.state, p.weFollow, p.theyFollow]), [[fake.host, "pending", "accepted", "none"]]);
  });

  test("a peer's entries of a kind our charter does not accept are refused, from the next activity on", async () => {
    const fake = followed;
    const create = (n: number, slug: string) => ({ id: `${fake.actor.id}#creates/${n}`, type: "Create", actor: fake.actor.id, object: fake.entryDocument(slug) });
    await setFederation({ mode: "open" }, 1, ["coop"]);
    assert.equal((await fake.post(node, `${node.config.publicUrl.origin}/inbox`, create(1, "f-refused"))).status, 202);
    // Inbox activities are handled from a queue: let this one be handled under this charter version.
    await eventually("the inbox queue to drain", async () => {
      const queued = await node.database.db.selectFrom("fedify_queue").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
      return Number(queued.n) === 0 ? true : undefined;
    });
    await setFederation({ mode: "open" }, 1, ["project", "coop"]);
    assert.equal((await fake.post(node, `${node.config.publicUrl.origin}/inbox`, create(2, "f-accepted"))).status, 202);
    await eventually("the accepted entry", async () => (await node.database.db.selectFrom("directory_entries").select("iri").where("iri", "=", `${fake.origin}/directory/entries/f-accepted`).executeTakeFirst()) ?? undefined);
    const refused = await node.database.db.selectFrom("directory_entries").select("iri").where("iri", "=", `${fake.origin}/directory/entries/f-refused`).executeTakeFirst();
    assert.equal(refused, undefined);
  });

  test("allowlist mode: an unlisted node waits for approval; approving lists it in a new charter version", async () => {
    const fake = await fakeNode();
    await setFederation({ mode: "allowlist", allow: ["listed.example"] });
    assert.equal((await fake.post(node, `${nodeActor()}/inbox`, follow(fake, 2))).status, 202);
    const waiting = await eventually("the request", async () => (await peers()).find((p) => p.host === fake.host && p.state === "awaiting-approval"));
    assert.equal(waiting.theyFollow, "pending");
    assert.equal(waiting.weFollow, "none");
    assert.equal(fake.peer.received.length, 0, "nothing is sent before an admin approves");

    const approved = await node.http.post(`/api/v1/admin/peers/${waiting.id}/approve`).set("Authorization", `Bearer ${token}`);
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.theyFollow, "accepted");
    assert.equal(approved.body.weFollow, "pending");
    const charter = await node.http.get("/api/v1/charter/versions");
    const latest = charter.body.items[0];
    assert.equal(latest.note, `Approved peer ${fake.host}`);
    const current = await node.http.get("/api/v1/charter");
    assert.deepEqual(current.body.document.federation.allow, ["listed.example", fake.host]);
    await fake.peer.waitFor("the Accept", (r) => r.activity.type === "Accept" && r.verified);
    await fake.peer.waitFor("the Follow back", (r) => r.activity.type === "Follow" && r.verified && r.activity.object === fake.actor.id);
    assert.deepEqual(await nodeFollowers(), [fake.actor.id]);

    const again = await node.http.post(`/api/v1/admin/peers/${waiting.id}/approve`).set("Authorization", `Bearer ${token}`);
    assert.equal(again.status, 409, "nothing left to approve");
  });

  test("blocklist mode: a blocked node's Follow is refused at the edge; a person cannot peer", async () => {
    const fake = await fakeNode();
    await setFederation({ mode: "blocklist", block: [fake.host] });
    const refused = await fake.post(node, `${nodeActor()}/inbox`, follow(fake, 3));
    assert.equal(refused.status, 403);
    assert.match(refused.text, new RegExp(fake.host.replace(/[.:]/g, "\\$&")));
    assert.equal((await peers()).some((p) => p.host === fake.host), false);

    // A Person (not its host's node actor, as NodeInfo says) gets a Reject.
    const people = await createSigningPeer(node, ["alice"], { address: "127.0.0.99" });
    try {
      const alice = people.actors.alice!;
      const res = await deliver(
        node,
        await people.signedPost(`${nodeActor()}/inbox`, { "@context": "https://www.w3.org/ns/activitystreams", id: `${alice.id}#follows/1`, type: "Follow", actor: alice.id, object: nodeActor() }, alice),
      );
      assert.equal(res.status, 202);
      const reject = await people.waitFor("the Reject", (r) => r.activity.type === "Reject");
      assert.equal(reject.verified, true);
      assert.equal((await peers()).some((p) => p.host === new URL(people.origin).host), false);
    } finally {
      await people.close();
    }
  });
});
