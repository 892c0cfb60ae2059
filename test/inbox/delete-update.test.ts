import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { uuidv7 } from "../../server/platform/ids.ts";
import { upsertFollower } from "../../server/modules/followers/follower.repository.ts";
import { recordInteraction } from "../../server/modules/interactions/interaction.repository.ts";
import { insertNote } from "../../server/modules/notes/note.repository.ts";
import { type RemoteActor, upsertRemoteActor } from "../../server/modules/remote-actors/remote-actor.repository.ts";
import { receiveRemotePost } from "../../server/modules/remote-posts/remote-posts.ts";
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
let noteId: string;
let noteIri: string;
let inbox: string;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "mallory"]);
  const maria = await createMember(node, "maria");
  project = await createProjectOf(node, maria, "bikekitchen");
  noteId = uuidv7();
  await insertNote(node.database.db, { id: noteId, authorActorId: project.actorId, contentSource: "Repair night", contentHtml: "<p>Repair night</p>", publishedAt: new Date() });
  noteIri = `${node.config.publicUrl.origin}/@bikekitchen/updates/${noteId}`;
  inbox = `${node.config.publicUrl.origin}/inbox`;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

const db = () => node.database.db;
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

async function cache(actor: PeerActor): Promise<RemoteActor> {
  return await upsertRemoteActor(db(), {
    iri: actor.id, type: "Person", handle: `${actor.name}@127.0.0.1`, name: `${actor.name} (peer)`, summaryHtml: "",
    url: null, iconUrl: null, inbox: actor.inbox, sharedInbox: `${peer.origin}/inbox`, followersUrl: null,
  });
}

let sequence = 0;
/** A reply by `actor` to our note, stored as the Create handler stores it. */
async function storedReply(actor: PeerActor, html = "<p>Count me in!</p>"): Promise<string> {
  const author = await cache(actor);
  const iri = `${actor.id}/statuses/${++sequence}`;
  const result = await receiveRemotePost(db(), {
    iri, authorRemoteActorId: author.id, inReplyToIri: noteIri, replyToNoteId: noteId, url: null,
    contentHtml: html, summary: null, sensitive: false, attachments: [], publishedAt: new Date(Date.now() - 60_000),
  });
  assert.equal(result.outcome, "stored");
  return iri;
}

const post = (iri: string) =>
  db().selectFrom("remote_posts").select(["content_html", "edited_at", "deleted_at", "summary"]).where("iri", "=", iri).executeTakeFirstOrThrow();

// Fixture F7 "Edits" (update-reply.json): Update with the same Note plus `updated`.
function editOf(actor: PeerActor, iri: string, content: string, updated: Date, attributedTo = actor.id) {
  return {
    "@context": AS,
    id: `${iri}#updates/${updated.getTime()}`,
    type: "Update",
    actor: actor.id,
    to: [PUBLIC],
    object: { id: iri, type: "Note", attributedTo, inReplyTo: noteIri, content, published: new Date(Date.now() - 60_000).toISOString(), updated: updated.toISOString(), to: [PUBLIC] },
  };
}

// F9
const deletionOf = (actor: PeerActor, iri: string) => ({
  "@context": AS,
  id: `${iri}#delete`,
  type: "Delete",
  actor: actor.id,
  to: [PUBLIC],
  object: { id: iri, type: "Tombstone" },
});

describe(`remote Update of a reply on ${ENGINE_LABEL}`, () => {
  test("by its author, with a newer `updated`: takes effect, sanitised", async () => {
    const alice = peer.actors.alice!;
    const iri = await storedReply(alice);
    const updated = new Date();
    const edit = editOf(alice, iri, '<p>Count me in, <b>twice</b>!<script>alert(1)</script><a href="javascript:alert(2)">x</a></p>', updated);
    assert.equal((await deliver(node, await peer.signedPost(inbox, edit, alice))).status, 202);
    const row = await eventually("the edit", async () => {
      const p = await post(iri);
      return p.edited_at === null ? undefined : p;
    });
    assert.equal(row.edited_at!.getTime(), updated.getTime());
    assert.match(row.content_html, /Count me in, <b>twice<\/b>!/);
    assert.doesNotMatch(row.content_html, /script|javascript:/);
  });

  test("an older or equal `updated` does not roll an edit back; none at all is not an edit", async () => {
    const alice = peer.actors.alice!;
    const iri = await storedReply(alice);
    const newer = new Date();
    await deliver(node, await peer.signedPost(inbox, editOf(alice, iri, "<p>v3</p>", newer), alice));
    await eventually("v3", async () => ((await post(iri)).content_html === "<p>v3</p>" ? true : undefined));
    await deliver(node, await peer.signedPost(inbox, editOf(alice, iri, "<p>v2</p>", new Date(newer.getTime() - 1000)), alice));
    const noUpdated = editOf(alice, iri, "<p>implicit</p>", new Date(newer.getTime() + 5000));
    delete (noUpdated.object as { updated?: string }).updated;
    noUpdated.id += "-implicit";
    await deliver(node, await peer.signedPost(inbox, noUpdated, alice));
    await settle();
    assert.equal((await post(iri)).content_html, "<p>v3</p>");
  });

  test("by someone else (same server, attributedTo the author) it changes nothing", async () => {
    const alice = peer.actors.alice!;
    const mallory = peer.actors.mallory!;
    await cache(mallory);
    const iri = await storedReply(alice, "<p>original</p>");
    for (const attributedTo of [alice.id, mallory.id]) {
      const edit = editOf(mallory, iri, "<p>forged</p>", new Date(), attributedTo);
      edit.id = `${mallory.id}#updates/${++sequence}`;
      assert.equal((await deliver(node, await peer.signedPost(inbox, edit, mallory))).status, 202);
    }
    await settle();
    const row = await post(iri);
    assert.equal(row.content_html, "<p>original</p>");
    assert.equal(row.edited_at, null);
  });
});

describe(`remote Delete of a reply on ${ENGINE_LABEL}`, () => {
  test("by someone else it changes nothing; by its author it leaves a tombstone without content", async () => {
    const alice = peer.actors.alice!;
    const mallory = peer.actors.mallory!;
    await cache(mallory);
    const iri = await storedReply(alice, "<p>keep me</p>");
    const forged = deletionOf(mallory, iri);
    forged.id = `${mallory.id}#delete-${++sequence}`;
    assert.equal((await deliver(node, await peer.signedPost(inbox, forged, mallory))).status, 202);
    await settle();
    assert.equal((await post(iri)).deleted_at, null);
    assert.equal((await deliver(node, await peer.signedPost(inbox, deletionOf(alice, iri), alice))).status, 202);
    const row = await eventually("the tombstone", async () => {
      const p = await post(iri);
      return p.deleted_at === null ? undefined : p;
    });
    assert.equal(row.content_html, "");
  });

  test("a Delete that arrives before its Create leaves a tombstone the Create cannot overwrite", async () => {
    const alice = peer.actors.alice!;
    const iri = `${alice.id}/statuses/early-${++sequence}`;
    await deliver(node, await peer.signedPost(inbox, deletionOf(alice, iri), alice));
    await eventually("the early tombstone", async () => ((await db().selectFrom("remote_posts").select("deleted_at").where("iri", "=", iri).executeTakeFirst())?.deleted_at ?? undefined));
    const author = await cache(alice);
    const late = await receiveRemotePost(db(), {
      iri, authorRemoteActorId: author.id, inReplyToIri: noteIri, replyToNoteId: noteId, url: null,
      contentHtml: "<p>too late</p>", summary: null, sensitive: false, attachments: [], publishedAt: new Date(),
    });
    assert.equal(late.outcome, "tombstoned");
  });
});

describe(`remote Update and Delete of an actor on ${ENGINE_LABEL}`, () => {
  test("Update(Person) by the person refreshes the cached profile (F10); of someone else it does not", async () => {
    const alice = peer.actors.alice!;
    const mallory = peer.actors.mallory!;
    await cache(alice);
    await cache(mallory);
    const profile = { ...alice.document, name: "Alice Example", summary: '<p>Solar tinkerer<script>x()</script></p>' };
    const update = { "@context": alice.document["@context"], id: `${alice.id}#updates/${++sequence}`, type: "Update", actor: alice.id, to: [PUBLIC], object: profile };
    assert.equal((await deliver(node, await peer.signedPost(inbox, update, alice))).status, 202);
    const row = await eventually("the refreshed profile", async () => {
      const r = await db().selectFrom("remote_actors").select(["name", "summary_html"]).where("iri", "=", alice.id).executeTakeFirstOrThrow();
      return r.name === "Alice Example" ? r : undefined;
    });
    assert.equal(row.summary_html, "<p>Solar tinkerer</p>");
    const forged = { ...update, id: `${mallory.id}#updates/${++sequence}`, actor: mallory.id, object: { ...profile, name: "Alice (hacked)" } };
    await deliver(node, await peer.signedPost(inbox, forged, mallory));
    await settle();
    assert.equal((await db().selectFrom("remote_actors").select("name").where("iri", "=", alice.id).executeTakeFirstOrThrow()).name, "Alice Example");
  });

  test("Delete of the actor by itself forgets its follows, likes and boosts, and tombstones its posts", async () => {
    const frank = await peer.addActor("frank");
    const cached = await cache(frank);
    await upsertFollower(db(), project.actorId, cached.id, `${frank.id}#follows/1`);
    assert.equal(await recordInteraction(db(), { activityIri: `${frank.id}#likes/1`, kind: "like", noteId, remoteActorId: cached.id }), "recorded");
    const reply = await storedReply(frank);
    const del = { "@context": AS, id: `${frank.id}#delete`, type: "Delete", actor: frank.id, to: [PUBLIC], object: frank.id };
    assert.equal((await deliver(node, await peer.signedPost(inbox, del, frank))).status, 202);
    await eventually("frank deleted", async () => (await db().selectFrom("remote_actors").select("deleted_at").where("iri", "=", frank.id).executeTakeFirstOrThrow()).deleted_at ?? undefined);
    assert.equal((await db().selectFrom("followers").select("id").where("remote_actor_id", "=", cached.id).execute()).length, 0);
    assert.equal((await db().selectFrom("note_interactions").select("id").where("remote_actor_id", "=", cached.id).execute()).length, 0);
    const tomb = await post(reply);
    assert.notEqual(tomb.deleted_at, null);
    assert.equal(tomb.content_html, "");
  });

  test("Delete of an actor whose documents are gone (410) is accepted with 202 and applied (SIG-10)", async () => {
    const gone = await peer.addActor("gone");
    const cached = await cache(gone);
    await upsertFollower(db(), project.actorId, cached.id, `${gone.id}#follows/1`);
    peer.fail("/users/gone", 410);
    const del = { "@context": AS, id: `${gone.id}#delete`, type: "Delete", actor: gone.id, to: [PUBLIC], object: gone.id };
    const res = await deliver(node, await peer.signedPost(inbox, del, gone));
    assert.equal(res.status, 202, res.text);
    const row = await db().selectFrom("remote_actors").select("deleted_at").where("iri", "=", gone.id).executeTakeFirstOrThrow();
    assert.notEqual(row.deleted_at, null);
    assert.equal((await db().selectFrom("followers").select("id").where("remote_actor_id", "=", cached.id).execute()).length, 0);
  });

  test("a Delete claiming another actor's deletion is refused at the signature (401)", async () => {
    const alice = peer.actors.alice!;
    const del = { "@context": AS, id: `${alice.id}#delete`, type: "Delete", actor: alice.id, to: [PUBLIC], object: alice.id };
    const res = await deliver(node, await peer.signedPost(inbox, del, peer.actors.mallory!));
    assert.equal(res.status, 401);
    await settle();
    assert.equal((await db().selectFrom("remote_actors").select("deleted_at").where("iri", "=", alice.id).executeTakeFirstOrThrow()).deleted_at, null);
  });
});
