import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { settled } from "../federation/listening-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";

// Deliveries are not ordered: a peer retrying a Follow that first failed may deliver its Undo (sent
// later, delivered at once) before it. The late Follow must not bring the follower back.
const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let maria: LocalMember;
let project: { actorId: number; handle: string };
let groupIri: string;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, []);
  maria = await createMember(node, "maria");
  project = await createProjectOf(node, maria, "bikekitchen");
  groupIri = `${node.config.publicUrl.origin}/@bikekitchen`;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

let sequence = 0;
const followOf = (actor: PeerActor, object = groupIri) => ({ "@context": AS, id: `${peer.origin}/follows/${++sequence}`, type: "Follow", actor: actor.id, object });
const undoOf = (actor: PeerActor, follow: ReturnType<typeof followOf>) => ({ "@context": AS, id: `${follow.id}/undo`, type: "Undo", actor: actor.id, object: follow });

async function send(actor: PeerActor, activity: object, inbox = `${groupIri}/inbox`): Promise<void> {
  const res = await deliver(node, await peer.signedPost(inbox, activity, actor));
  assert.equal(res.status, 202, res.text);
  await settled({ database: node.database });
}

async function followsProject(actor: PeerActor): Promise<boolean> {
  const row = await node.database.db
    .selectFrom("followers")
    .innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id")
    .select("followers.id")
    .where("remote_actors.iri", "=", actor.id)
    .where("followers.local_actor_id", "=", project.actorId)
    .executeTakeFirst();
  return row !== undefined;
}

async function acceptsOf(followId: string): Promise<number> {
  const rows = await node.database.db.selectFrom("outbox").select("activity").execute();
  return rows.filter((r) => (r.activity as { type?: string; object?: { id?: string } }).type === "Accept" && (r.activity as { object?: { id?: string } }).object?.id === followId).length;
}

describe(`an Undo that arrives before its Follow (${ENGINE_LABEL})`, () => {
  test("from an actor we have never seen: the late Follow makes no follower and gets no Accept", async () => {
    const stranger = await peer.addActor("stranger");
    const follow = followOf(stranger);
    await send(stranger, undoOf(stranger, follow));
    await send(stranger, follow);
    assert.equal(await followsProject(stranger), false);
    assert.equal(await acceptsOf(follow.id), 0);

    // A new Follow (a new id) is a new decision, and is honoured.
    const again = followOf(stranger);
    await send(stranger, again);
    assert.equal(await followsProject(stranger), true);
    assert.equal(await acceptsOf(again.id), 1);
  });

  test("from an actor we know: the late Follow makes no follower and gets no Accept", async () => {
    const known = await peer.addActor("known");
    // Known: it follows the member already, so its actor is stored.
    await send(known, followOf(known, `${node.config.publicUrl.origin}/@maria`), `${node.config.publicUrl.origin}/@maria/inbox`);
    await eventually("the known actor stored", () =>
      node.database.db.selectFrom("remote_actors").select("id").where("iri", "=", known.id).executeTakeFirst(),
    );
    const follow = followOf(known);
    await send(known, undoOf(known, follow));
    await send(known, follow);
    assert.equal(await followsProject(known), false);
    assert.equal(await acceptsOf(follow.id), 0);
  });

  test("an Undo from another server cannot take back this server's Follow in advance", async () => {
    const victim = await peer.addActor("victim");
    const follow = followOf(victim);
    const other = await createSigningPeer(node, ["mallory"]);
    try {
      const mallory = other.actors.mallory!;
      const forged = { "@context": AS, id: `${mallory.id}#undo/1`, type: "Undo", actor: mallory.id, object: follow.id };
      const res = await deliver(node, await other.signedPost(`${groupIri}/inbox`, forged, mallory));
      assert.equal(res.status, 202, res.text);
      await settled({ database: node.database });
    } finally {
      await other.close();
    }
    await send(victim, follow);
    assert.equal(await followsProject(victim), true);
  });
});
