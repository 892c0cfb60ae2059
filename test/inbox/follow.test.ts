import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { assertGolden } from "../projects/golden.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { AP, createInboxTestNode, createMember, createProjectOf, eventually, type LocalMember, startWorkers } from "./helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "./helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let maria: LocalMember;
let project: { actorId: number; handle: string };
let groupIri: string;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "bob", "carol"]);
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

const db = () => node.database.db;
let sequence = 0;
const followOf = (actor: PeerActor, object = groupIri) => ({
  "@context": AS,
  id: `${peer.origin}/follows/${++sequence}`,
  type: "Follow",
  actor: actor.id,
  object,
});

async function followerRow(actor: PeerActor) {
  return await db()
    .selectFrom("followers")
    .innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id")
    .select(["followers.id", "followers.follow_iri", "remote_actors.inbox"])
    .where("remote_actors.iri", "=", actor.id)
    .where("followers.local_actor_id", "=", project.actorId)
    .executeTakeFirst();
}

async function outboxActivities(type: string, objectId: string) {
  const rows = await db().selectFrom("outbox").select(["sender", "recipients", "activity"]).execute();
  return rows.filter((r) => {
    const activity = r.activity as { type?: string; object?: { id?: string } };
    return activity.type === type && activity.object?.id === objectId;
  });
}

describe(`inbound Follow of a project on ${ENGINE_LABEL}`, () => {
  test("stores the follower and commits an Accept to its personal inbox, which the peer verifies as the Group's", async () => {
    const alice = peer.actors.alice!;
    const follow = followOf(alice);
    const res = await deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, alice));
    assert.equal(res.status, 202, res.text);

    const row = await eventually("the follower row", () => followerRow(alice));
    assert.equal(row.follow_iri, follow.id);
    assert.equal(row.inbox, alice.inbox);

    const [entry] = await eventually("the Accept in the outbox", async () => {
      const found = await outboxActivities("Accept", follow.id);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(entry!.sender, "bikekitchen");
    assert.deepEqual(entry!.recipients, [{ id: alice.id, inbox: alice.inbox }]);
    const accept = entry!.activity as Record<string, unknown>;
    assert.equal(accept.actor, groupIri);
    assert.match(String(accept.id), new RegExp(`^${groupIri}#accepts/follows/`));
    assert.deepEqual(accept.object, { id: follow.id, type: "Follow", actor: alice.id, object: groupIri });
    // The peer listens on a fresh port each run; the golden file names it <peer>.
    assertGolden("accept-follow", JSON.parse(JSON.stringify(accept).replaceAll(peer.origin, "https://peer.example")));

    const delivered = await peer.waitFor("the Accept", (r) => r.activity.type === "Accept" && (r.activity.object as { id?: string })?.id === follow.id);
    assert.equal(delivered.path, "/users/alice/inbox", "to the follower's personal inbox, not the shared one");
    assert.equal(delivered.verified, true, "the Accept's HTTP signature verifies");
    assert.equal(delivered.keyId, `${groupIri}#main-key`, "signed with the Group's own key");
    assert.equal(delivered.activity.actor, groupIri);
  });

  test("a re-follow with a new id is idempotent and accepted again", async () => {
    const bob = peer.actors.bob!;
    const first = followOf(bob);
    assert.equal((await deliver(node, await peer.signedPost(`${groupIri}/inbox`, first, bob))).status, 202);
    await eventually("bob's Accept", async () => ((await outboxActivities("Accept", first.id)).length > 0 ? true : undefined));
    const again = followOf(bob);
    assert.equal((await deliver(node, await peer.signedPost(`${node.config.publicUrl.origin}/inbox`, again, bob))).status, 202);
    await eventually("the second Accept", async () => ((await outboxActivities("Accept", again.id)).length > 0 ? true : undefined));
    const rows = await db().selectFrom("followers").innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id").select("follow_iri").where("remote_actors.iri", "=", bob.id).execute();
    assert.deepEqual(rows, [{ follow_iri: again.id }], "one row, holding the latest Follow id");
  });

  test("the same Follow delivered twice makes one row and one Accept", async () => {
    const carol = peer.actors.carol!;
    const follow = followOf(carol);
    assert.equal((await deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, carol))).status, 202);
    assert.equal((await deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, carol))).status, 202);
    await eventually("carol's follow", () => followerRow(carol));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await outboxActivities("Accept", follow.id)).length, 1);
    const count = await db().selectFrom("followers").innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id").select("followers.id").where("remote_actors.iri", "=", carol.id).execute();
    assert.equal(count.length, 1);
  });

  test("the same Follow delivered twice at once (two inbox workers) is still answered once", async () => {
    const grace = await peer.addActor("grace");
    const follow = followOf(grace);
    const [first, second] = await Promise.all([
      deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, grace)),
      deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, grace)),
    ]);
    assert.deepEqual([first.status, second.status], [202, 202]);
    await eventually("grace's follow", () => followerRow(grace));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await outboxActivities("Accept", follow.id)).length, 1);
  });

  test("a re-follow under a new Follow id is accepted again (Mastodon's refollow_worker.rb)", async () => {
    const heidi = await peer.addActor("heidi");
    const first = followOf(heidi);
    await deliver(node, await peer.signedPost(`${groupIri}/inbox`, first, heidi));
    await eventually("heidi's first Accept", async () => ((await outboxActivities("Accept", first.id)).length === 1 ? true : undefined));
    const again = { ...followOf(heidi), id: `${first.id}-again` };
    await deliver(node, await peer.signedPost(`${groupIri}/inbox`, again, heidi));
    await eventually("heidi's second Accept", async () => ((await outboxActivities("Accept", again.id)).length === 1 ? true : undefined));
  });

  test("Undo(Follow) removes the follower, matched by the Follow's id", async () => {
    const dave = await peer.addActor("dave");
    const follow = followOf(dave);
    await deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, dave));
    await eventually("dave's follow", () => followerRow(dave));
    const undo = { "@context": AS, id: `${dave.id}#follows/1/undo`, type: "Undo", actor: dave.id, object: follow };
    assert.equal((await deliver(node, await peer.signedPost(`${groupIri}/inbox`, undo, dave))).status, 202);
    await eventually("dave's follow to go", async () => ((await followerRow(dave)) === undefined ? true : undefined));
  });

  test("Undo(Follow) with an unknown Follow id falls back to the (actor, object) pair", async () => {
    const erin = await peer.addActor("erin");
    await deliver(node, await peer.signedPost(`${groupIri}/inbox`, followOf(erin), erin));
    await eventually("erin's follow", () => followerRow(erin));
    const undo = { "@context": AS, id: `${erin.id}#follows/2/undo`, type: "Undo", actor: erin.id, object: { id: `${peer.origin}/follows/unknown`, type: "Follow", actor: erin.id, object: groupIri } };
    await deliver(node, await peer.signedPost(`${groupIri}/inbox`, undo, erin));
    await eventually("erin's follow to go", async () => ((await followerRow(erin)) === undefined ? true : undefined));
  });

  test("an Undo of another actor's Follow changes nothing", async () => {
    const frank = await peer.addActor("frank");
    const mallory = await peer.addActor("mallory");
    const follow = followOf(frank);
    await deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, frank));
    await eventually("frank's follow", () => followerRow(frank));
    const undo = { "@context": AS, id: `${mallory.id}#undo/1`, type: "Undo", actor: mallory.id, object: follow };
    assert.equal((await deliver(node, await peer.signedPost(`${groupIri}/inbox`, undo, mallory))).status, 202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.notEqual(await followerRow(frank), undefined);
  });

  test("a member (Person) can be followed too, and its Accept is signed by the member", async () => {
    const hana = await peer.addActor("hana");
    const memberIri = `${node.config.publicUrl.origin}/@maria`;
    const follow = followOf(hana, memberIri);
    assert.equal((await deliver(node, await peer.signedPost(`${memberIri}/inbox`, follow, hana))).status, 202);
    const delivered = await peer.waitFor("maria's Accept", (r) => r.activity.type === "Accept" && (r.activity.object as { id?: string })?.id === follow.id);
    assert.equal(delivered.verified, true);
    assert.equal(delivered.keyId, `${memberIri}#main-key`);
  });

  test("an actor whose inbox is on another origin is not stored nor accepted (ORI-09, no SSRF through deliveries)", async () => {
    const ivan = await peer.addActor("ivan");
    ivan.document = { ...ivan.document, inbox: "http://169.254.169.254/latest/meta-data" };
    const follow = followOf(ivan);
    assert.equal((await deliver(node, await peer.signedPost(`${groupIri}/inbox`, follow, ivan))).status, 202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await followerRow(ivan), undefined);
    assert.equal((await outboxActivities("Accept", follow.id)).length, 0);
  });

  test("a Follow of the node actor is answered with a Reject and stores nothing", async () => {
    const gina = await peer.addActor("gina");
    const nodeActor = `${node.config.publicUrl.origin}/@node`;
    const follow = followOf(gina, nodeActor);
    assert.equal((await deliver(node, await peer.signedPost(`${nodeActor}/inbox`, follow, gina))).status, 202);
    const delivered = await peer.waitFor("the Reject", (r) => r.activity.type === "Reject" && (r.activity.object as { id?: string })?.id === follow.id);
    assert.equal(delivered.verified, true);
    assert.equal(delivered.activity.actor, nodeActor);
    const rows = await db().selectFrom("followers").select("id").where("follow_iri", "=", follow.id).execute();
    assert.equal(rows.length, 0);
  });
});

describe(`the followers collection on ${ENGINE_LABEL}`, () => {
  test("is an OrderedCollection with totalItems and pages of follower IRIs", async () => {
    const res = await node.http.get("/@bikekitchen/followers").set("Accept", AP).expect(200);
    const collection = JSON.parse(res.text);
    assert.equal(collection.type, "OrderedCollection");
    assert.equal(collection.id, `${groupIri}/followers`);
    const expected = await db().selectFrom("followers").innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id").select("remote_actors.iri").where("local_actor_id", "=", project.actorId).orderBy("followers.id").execute();
    assert.equal(collection.totalItems, expected.length);
    assert.ok(expected.length >= 3);
    const first = new URL(collection.first);
    const page = JSON.parse((await node.http.get(first.pathname + first.search).set("Accept", AP).expect(200)).text);
    assert.equal(page.type, "OrderedCollectionPage");
    assert.deepEqual(page.orderedItems, expected.map((r) => r.iri));
    assert.equal(page.next, undefined, "one page holds them all");
  });

  test("pages hold 40 items and link to the next page", async () => {
    const { upsertRemoteActor } = await import("../../server/modules/remote-actors/remote-actor.repository.ts");
    const { upsertFollower } = await import("../../server/modules/followers/follower.repository.ts");
    const many = await createProjectOf(node, maria, "manyfollowers");
    for (let i = 0; i < 45; i++) {
      const remote = await upsertRemoteActor(db(), {
        iri: `https://crowd.example/users/u${i}`, type: "Person", handle: `u${i}@crowd.example`, name: "", summaryHtml: "",
        url: null, iconUrl: null, inbox: `https://crowd.example/users/u${i}/inbox`, sharedInbox: "https://crowd.example/inbox", followersUrl: null,
      });
      await upsertFollower(db(), many.actorId, remote.id, `https://crowd.example/follows/${i}`);
    }
    const collection = JSON.parse((await node.http.get("/@manyfollowers/followers").set("Accept", AP).expect(200)).text);
    assert.equal(collection.totalItems, 45);
    const first = new URL(collection.first);
    const page1 = JSON.parse((await node.http.get(first.pathname + first.search).set("Accept", AP).expect(200)).text);
    assert.equal(page1.orderedItems.length, 40);
    assert.equal(page1.orderedItems[0], "https://crowd.example/users/u0");
    const next = new URL(page1.next);
    const page2 = JSON.parse((await node.http.get(next.pathname + next.search).set("Accept", AP).expect(200)).text);
    assert.deepEqual(page2.orderedItems, ["u40", "u41", "u42", "u43", "u44"].map((u) => `https://crowd.example/users/${u}`));
    assert.equal(page2.next, undefined);
  });

  test("an activity to \"followers\" reaches each follower's server once, through its shared inbox", async () => {
    const { commitWithActivities } = await import("../../server/modules/outbox/commit-with-activities.ts");
    const id = `${groupIri}/updates/fanout-test`;
    await commitWithActivities(db(), async (_trx, emit) => {
      await emit({
        sender: "bikekitchen",
        recipients: "followers",
        activity: {
          "@context": AS,
          id: `${id}/activity`,
          type: "Create",
          actor: groupIri,
          to: [`${AS}#Public`],
          cc: [`${groupIri}/followers`],
          object: { id, type: "Note", attributedTo: groupIri, content: "<p>Fan-out</p>", published: new Date().toISOString(), to: [`${AS}#Public`] },
        },
      });
    });
    const delivered = await peer.waitFor("the Create", (r) => r.activity.type === "Create");
    assert.equal(delivered.path, "/inbox");
    assert.equal(delivered.verified, true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(peer.received.filter((r) => r.activity.type === "Create").length, 1, "one delivery for the three followers on that server");
  });

  test("an unknown actor's followers are 404", async () => {
    await node.http.get("/@nobody/followers").set("Accept", AP).expect(404);
  });
});
