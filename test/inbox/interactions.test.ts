import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { uuidv7 } from "../../server/platform/ids.ts";
import { countReactions } from "../../server/modules/notes/note-reactions.queries.ts";
import { insertNote, tombstoneNote } from "../../server/modules/notes/note.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, startWorkers } from "./helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "./helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
const PUBLIC = `${AS}#Public`;
let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let project: { actorId: number; handle: string };
let origin: string;

before(async () => {
  node = await createInboxTestNode();
  origin = node.config.publicUrl.origin;
  peer = await createSigningPeer(node, ["alice", "bob"]);
  const maria = await createMember(node, "maria");
  project = await createProjectOf(node, maria, "bikekitchen");
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

async function newNote(): Promise<{ id: string; iri: string }> {
  const id = uuidv7();
  await insertNote(node.database.db, { id, authorActorId: project.actorId, contentSource: "Repair night", contentHtml: "<p>Repair night</p>", publishedAt: new Date() });
  return { id, iri: `${origin}/@bikekitchen/updates/${id}` };
}

const counts = async (noteId: string) => (await countReactions(node.database.db, [noteId])).get(noteId) ?? { replies: 0, likes: 0, boosts: 0 };
const countsBecome = (noteId: string, likes: number, boosts: number) =>
  eventually(`${likes} likes and ${boosts} boosts`, async () => {
    const c = await counts(noteId);
    return c.likes === likes && c.boosts === boosts ? c : undefined;
  });
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

let sequence = 0;
// Fixture F5 (like.json): no to/cc, to the author's personal inbox.
const like = (actor: PeerActor, object: string) => ({ "@context": AS, id: `${actor.id}#likes/${++sequence}`, type: "Like", actor: actor.id, object });
// F6: public boost, to the shared inbox.
const announce = (actor: PeerActor, object: string) => ({
  "@context": AS,
  id: `${actor.id}/statuses/${++sequence}/activity`,
  type: "Announce",
  actor: actor.id,
  published: new Date().toISOString(),
  to: [PUBLIC],
  cc: [`${origin}/@bikekitchen`, `${actor.id}/followers`],
  object,
});
const undo = (actor: PeerActor, object: Record<string, unknown>) => ({ "@context": AS, id: `${object.id}/undo`, type: "Undo", actor: actor.id, object });
const personal = () => `${origin}/@bikekitchen/inbox`;
const shared = () => `${origin}/inbox`;

describe(`likes and boosts of our notes on ${ENGINE_LABEL}`, () => {
  test("a Like is counted once, however often it arrives and whatever its id", async () => {
    const alice = peer.actors.alice!;
    const note = await newNote();
    const first = like(alice, note.iri);
    assert.equal((await deliver(node, await peer.signedPost(personal(), first, alice))).status, 202);
    await countsBecome(note.id, 1, 0);
    assert.equal((await deliver(node, await peer.signedPost(personal(), first, alice))).status, 202);
    assert.equal((await deliver(node, await peer.signedPost(personal(), like(alice, note.iri), alice))).status, 202);
    await settle();
    assert.deepEqual(await counts(note.id), { replies: 0, likes: 1, boosts: 0 });
    const rows = await node.database.db.selectFrom("note_interactions").select(["activity_iri", "kind"]).where("note_id", "=", note.id).execute();
    assert.deepEqual(rows, [{ activity_iri: first.id, kind: "like" }]);
  });

  test("an Announce to the shared inbox is counted as a boost; Undo removes likes and boosts", async () => {
    const alice = peer.actors.alice!;
    const bob = peer.actors.bob!;
    const note = await newNote();
    const liked = like(alice, note.iri);
    const boosted = announce(bob, note.iri);
    await deliver(node, await peer.signedPost(personal(), liked, alice));
    assert.equal((await deliver(node, await peer.signedPost(shared(), boosted, bob))).status, 202);
    await countsBecome(note.id, 1, 1);
    assert.equal((await deliver(node, await peer.signedPost(personal(), undo(alice, liked), alice))).status, 202);
    await countsBecome(note.id, 0, 1);
    assert.equal((await deliver(node, await peer.signedPost(shared(), undo(bob, boosted), bob))).status, 202);
    await countsBecome(note.id, 0, 0);
  });

  test("an Undo whose Like id we do not know falls back to (kind, note, actor); someone else's Undo does nothing", async () => {
    const alice = peer.actors.alice!;
    const bob = peer.actors.bob!;
    const note = await newNote();
    const liked = like(alice, note.iri);
    await deliver(node, await peer.signedPost(personal(), liked, alice));
    await countsBecome(note.id, 1, 0);
    await deliver(node, await peer.signedPost(personal(), undo(bob, { ...liked, actor: bob.id, id: `${bob.id}#likes/999` }), bob));
    await settle();
    assert.equal((await counts(note.id)).likes, 1, "bob's Undo of his own (unknown) Like leaves alice's");
    await deliver(node, await peer.signedPost(personal(), undo(alice, { ...liked, id: `${alice.id}#likes/unknown` }), alice));
    await countsBecome(note.id, 0, 0);
  });

  test("likes of unknown, deleted or remote notes are ignored", async () => {
    const alice = peer.actors.alice!;
    const deleted = await newNote();
    await tombstoneNote(node.database.db, deleted.id, new Date());
    const unknown = `${origin}/@bikekitchen/updates/${uuidv7()}`;
    const total = async () => (await node.database.db.selectFrom("note_interactions").select("id").execute()).length;
    const before = await total();
    for (const object of [deleted.iri, unknown, "https://elsewhere.example/notes/1", `${origin}/@bikekitchen`]) {
      assert.equal((await deliver(node, await peer.signedPost(personal(), like(alice, object), alice))).status, 202);
    }
    await settle();
    assert.equal(await total(), before);
  });

  test("a stale cached actor is refreshed when its next activity arrives", async () => {
    const carol = await peer.addActor("carol");
    const note = await newNote();
    await deliver(node, await peer.signedPost(personal(), like(carol, note.iri), carol));
    await countsBecome(note.id, 1, 0);
    carol.document = { ...carol.document, name: "Carol, renamed" };
    const row = () => node.database.db.selectFrom("remote_actors").select(["name", "fetched_at"]).where("iri", "=", carol.id).executeTakeFirstOrThrow();
    await deliver(node, await peer.signedPost(shared(), announce(carol, note.iri), carol));
    await countsBecome(note.id, 1, 1);
    assert.equal((await row()).name, "carol (peer)", "fresh: not fetched again");
    await node.database.db.updateTable("remote_actors").set({ fetched_at: new Date(Date.now() - 2 * 86400_000) }).where("iri", "=", carol.id).execute();
    const other = await newNote();
    await deliver(node, await peer.signedPost(personal(), like(carol, other.iri), carol));
    await countsBecome(other.id, 1, 0);
    const refreshed = await row();
    assert.equal(refreshed.name, "Carol, renamed");
    assert.ok(Date.now() - refreshed.fetched_at.getTime() < 60_000);
  });
});
