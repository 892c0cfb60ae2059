import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { uuidv7 } from "../../server/platform/ids.ts";
import { countReactions } from "../../server/modules/notes/note-reactions.queries.ts";
import { insertNote } from "../../server/modules/notes/note.repository.ts";
import { adminToken } from "../accounts/account-helpers.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { settled } from "../federation/listening-node.ts";
import { createNoteActivity, inboxDrained } from "../timeline/helpers/timeline-env.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let admin: string;
let maria: LocalMember;
let project: { actorId: number; handle: string };
// Two servers on two loopback addresses: two hosts as the charter names them (a port makes no other host).
let friendly: SigningPeer;
let other: SigningPeer;
let workers: { stop(): Promise<void> };
const logs: LogRecord[] = [];

before(async () => {
  await configure({
    reset: true,
    sinks: { memory: (record) => void logs.push(record) },
    loggers: [
      { category: ["commonsnet", "charter"], lowestLevel: "info", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
    ],
  });
  node = await createInboxTestNode();
  admin = await adminToken(node, "root_admin");
  friendly = await createSigningPeer(node, ["alice"]);
  other = await createSigningPeer(node, ["bob"], { address: "127.0.0.2" });
  maria = await createMember(node, "maria");
  project = await createProjectOf(node, maria, "bikekitchen");
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await friendly.close();
  await other.close();
  await node.close();
  await reset();
});

const origin = () => node.config.publicUrl.origin;
const hostOf = (peer: SigningPeer) => new URL(peer.origin).host;
const alice = () => friendly.actors.alice!;
const bob = () => other.actors.bob!;
const peerOf = (actor: PeerActor) => (actor.id.startsWith(`${friendly.origin}/`) ? friendly : other);
const projectInbox = () => `${origin()}/@bikekitchen/inbox`;
const db = () => node.database.db;

async function setFederation(federation: { mode: string; allow?: string[]; block?: string[] }): Promise<number> {
  const current = (await node.http.get("/api/v1/charter")).body;
  const res = await node.http
    .put("/api/v1/admin/charter")
    .set("Authorization", `Bearer ${admin}`)
    .send({ ...current.document, federation: { allow: [], block: [], ...federation }, basedOn: current.version });
  assert.ok(res.status === 201 || res.status === 200, res.text);
  return res.body.version;
}

async function newNote(): Promise<{ id: string; iri: string }> {
  const id = uuidv7();
  await insertNote(db(), { id, authorActorId: project.actorId, contentSource: "Repair night", contentHtml: "<p>Repair night</p>", publishedAt: new Date() });
  return { id, iri: `${origin()}/@bikekitchen/updates/${id}` };
}

let sequence = 0;
const like = (actor: PeerActor, object: string) => ({ "@context": AS, id: `${actor.id}#likes/${++sequence}`, type: "Like", actor: actor.id, object });
const follow = (actor: PeerActor, object: string) => ({ "@context": AS, id: `${peerOf(actor).origin}/follows/${++sequence}`, type: "Follow", actor: actor.id, object });
const likes = async (noteId: string) => (await countReactions(db(), [noteId])).get(noteId)?.likes ?? 0;

async function send(actor: PeerActor, url: string, activity: unknown, signer: PeerActor = actor) {
  return await deliver(node, await peerOf(signer).signedPost(url, activity, signer));
}

function assertRefused(res: { status: number; text: string }, host: string, version: number) {
  assert.equal(res.status, 403, res.text);
  assert.deepEqual(JSON.parse(res.text), { error: "forbidden", message: `${host} is not federated with under this node's charter (version ${version})` });
}

async function followerRow(actor: PeerActor) {
  return await db()
    .selectFrom("followers")
    .innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id")
    .select("followers.id")
    .where("remote_actors.iri", "=", actor.id)
    .executeTakeFirst();
}

describe(`the charter enforced on inbound activities on ${ENGINE_LABEL}`, () => {
  test("open mode (version 1) accepts and stores a signed Follow, Like and Create from any host", async () => {
    const note = await newNote();
    assert.equal((await send(bob(), projectInbox(), follow(bob(), `${origin()}/@bikekitchen`))).status, 202);
    assert.equal((await send(bob(), projectInbox(), like(bob(), note.iri))).status, 202);
    const reply = createNoteActivity(other, bob(), { inReplyTo: note.iri });
    assert.equal((await send(bob(), `${origin()}/inbox`, reply)).status, 202);
    await eventually("the follower row", () => followerRow(bob()));
    await eventually("the Like counted", async () => ((await likes(note.id)) === 1 ? true : undefined));
    await eventually("the reply stored", () => db().selectFrom("remote_posts").select("id").where("iri", "=", reply.object.id).executeTakeFirst());
  });

  test("blocklist: the blocked host's Follow, Like and Create get 403 and nothing is stored; others still pass", async () => {
    const version = await setFederation({ mode: "blocklist", block: [hostOf(other)] });
    const note = await newNote();
    // Another account of the blocked server, sending what bob's were accepted with under version 1.
    const dave = await other.addActor("dave");
    logs.length = 0;

    assertRefused(await send(dave, projectInbox(), follow(dave, `${origin()}/@bikekitchen`)), hostOf(other), version);
    assertRefused(await send(dave, projectInbox(), like(dave, note.iri)), hostOf(other), version);
    const reply = createNoteActivity(other, dave, { inReplyTo: note.iri });
    assertRefused(await send(dave, `${origin()}/inbox`, reply), hostOf(other), version);

    const allowed = await send(alice(), projectInbox(), like(alice(), note.iri));
    assert.equal(allowed.status, 202, allowed.text);
    await eventually("alice's Like counted", async () => ((await likes(note.id)) === 1 ? true : undefined));
    await inboxDrained(node);
    assert.equal(await followerRow(dave), undefined, "no follower row");
    assert.equal(await likes(note.id), 1, "only alice's Like");
    assert.equal(await db().selectFrom("remote_posts").select("id").where("iri", "=", reply.object.id).executeTakeFirst(), undefined, "no reply stored");
    const outbox = await db().selectFrom("outbox").select("activity").execute();
    assert.ok(!outbox.some((r) => JSON.stringify(r.activity).includes(dave.id)), "no Accept sent to the blocked host");

    const lines = logs.map((r) => r.message.join(""));
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.ok(lines.every((l) => l.includes(`${hostOf(other)} is not federated with under this node's charter (version ${version})`)));
    assert.match(lines[0]!, /^Refused "?Follow"? /);
    assert.equal(logs[0]!.level, "warning");
    assert.deepEqual(logs[0]!.category, ["commonsnet", "charter"]);
  });

  test("both the signing key's host and the actor's host must be allowed", async () => {
    const version = await setFederation({ mode: "blocklist", block: [hostOf(other)] });
    const note = await newNote();
    // Signed by an allowed host, naming a blocked actor (a forwarded activity, say).
    assertRefused(await send(bob(), projectInbox(), like(bob(), note.iri), alice()), hostOf(other), version);
    // Signed by the blocked host, naming an allowed actor.
    assertRefused(await send(alice(), projectInbox(), like(alice(), note.iri), bob()), hostOf(other), version);
    await inboxDrained(node);
    assert.equal(await likes(note.id), 0);
  });

  test("allowlist: an unlisted host's Like is refused, its Follow of the node actor passes, a listed host is admitted", async () => {
    const version = await setFederation({ mode: "allowlist", allow: [hostOf(friendly)] });
    const note = await newNote();
    assertRefused(await send(bob(), projectInbox(), like(bob(), note.iri)), hostOf(other), version);
    assertRefused(await send(bob(), projectInbox(), follow(bob(), `${origin()}/@bikekitchen`)), hostOf(other), version);

    // A request to connect: left for the peering code to record for an admin's approval.
    const connect = follow(bob(), `${origin()}/@node`);
    const asked = await send(bob(), `${origin()}/@node/inbox`, connect);
    assert.equal(asked.status, 202, asked.text);
    const viaShared = await send(bob(), `${origin()}/inbox`, { ...connect, id: `${connect.id}-shared` });
    assert.equal(viaShared.status, 202, viaShared.text);
    const withdrawn = await send(bob(), `${origin()}/@node/inbox`, { "@context": AS, id: `${connect.id}/undo`, type: "Undo", actor: bob().id, object: connect });
    assert.equal(withdrawn.status, 202, withdrawn.text);
    // Only a Follow of the node actor: not one of a project, nor a Like sent to the node's inbox.
    assertRefused(await send(bob(), `${origin()}/@node/inbox`, like(bob(), note.iri)), hostOf(other), version);

    const listed = await send(alice(), projectInbox(), like(alice(), note.iri));
    assert.equal(listed.status, 202, listed.text);
    await eventually("the listed host's Like counted", async () => ((await likes(note.id)) === 1 ? true : undefined));
  });

  test("allowlist: a host both unlisted and blocked cannot even ask to connect", async () => {
    const version = await setFederation({ mode: "allowlist", allow: [hostOf(friendly)], block: [hostOf(other)] });
    assertRefused(await send(bob(), `${origin()}/@node/inbox`, follow(bob(), `${origin()}/@node`)), hostOf(other), version);
  });

  test("a charter change takes effect on the very next inbound activity", async () => {
    await setFederation({ mode: "open" });
    const note = await newNote();
    assert.equal((await send(alice(), projectInbox(), like(alice(), note.iri))).status, 202);
    await eventually("the first Like counted", async () => ((await likes(note.id)) === 1 ? true : undefined));

    const blocked = await setFederation({ mode: "blocklist", block: [hostOf(friendly)] });
    const second = like(alice(), note.iri);
    assertRefused(await send(alice(), projectInbox(), second), hostOf(friendly), blocked);
    await inboxDrained(node);
    assert.equal(await likes(note.id), 1, "the refused Like was not counted");
    assert.equal(await db().selectFrom("note_interactions").select("id").where("activity_iri", "=", second.id).executeTakeFirst(), undefined);

    await setFederation({ mode: "blocklist", block: [] });
    const third = await send(alice(), projectInbox(), { ...second, id: `${second.id}-again` });
    assert.equal(third.status, 202, third.text);
    // alice's earlier Like of the same note already counts; a Like from another actor of that host shows the host is back.
    const carol = await friendly.addActor("carol");
    assert.equal((await send(carol, projectInbox(), like(carol, note.iri))).status, 202);
    await eventually("the Like after unblocking counted", async () => ((await likes(note.id)) === 2 ? true : undefined));
  });
});

describe(`the charter enforced on members' follows on ${ENGINE_LABEL}`, () => {
  test("following an account on an excluded host is a 422 with the charter's reason, and sends nothing", async () => {
    const version = await setFederation({ mode: "blocklist", block: [hostOf(other)] });
    const before = (await db().selectFrom("outbox").select("id").execute()).length;
    for (const target of [bob().id, `@bob@${hostOf(other)}`]) {
      const res = await node.http.post("/api/v1/follows").set("Authorization", `Bearer ${maria.token}`).send({ target });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.error, "refused_by_charter");
      assert.equal(res.body.message, `${hostOf(other)} is not federated with under this node's charter (version ${version})`);
    }
    assert.equal((await db().selectFrom("following").select("id").execute()).length, 0);
    assert.equal((await db().selectFrom("outbox").select("id").execute()).length, before);

    const allowlisted = await setFederation({ mode: "allowlist", allow: [hostOf(other)] });
    const notListed = await node.http.post("/api/v1/follows").set("Authorization", `Bearer ${maria.token}`).send({ target: alice().id });
    assert.equal(notListed.status, 422);
    assert.equal(notListed.body.message, `${hostOf(friendly)} is not federated with under this node's charter (version ${allowlisted})`);
    const listed = await node.http.post("/api/v1/follows").set("Authorization", `Bearer ${maria.token}`).send({ target: bob().id });
    assert.equal(listed.status, 201, listed.text);
    assert.equal(listed.body.target.iri, bob().id);
  });
});

describe(`the charter enforced on outbound deliveries on ${ENGINE_LABEL}`, () => {
  test("a follower on a host blocked after it followed gets no more updates; followers elsewhere still do", async () => {
    await setFederation({ mode: "open" });
    for (const actor of [alice(), bob()]) {
      assert.equal((await send(actor, projectInbox(), follow(actor, `${origin()}/@bikekitchen`))).status, 202);
      await eventually(`${actor.name}'s follower row`, () => followerRow(actor));
    }
    await setFederation({ mode: "blocklist", block: [hostOf(other)] });
    const posted = await node.http.post("/api/v1/projects/bikekitchen/updates").set("Authorization", `Bearer ${maria.token}`).send({ content: "Wheel-truing night on Thursday" });
    assert.equal(posted.status, 201, posted.text);
    const isTheCreate = (r: { activity: Record<string, unknown> }) =>
      r.activity.type === "Create" && (r.activity.object as Record<string, unknown> | undefined)?.id === posted.body.iri;
    const received = await friendly.waitFor("the update's Create at the allowed host", isTheCreate);
    assert.equal(received.verified, true);
    await settled(node);
    assert.equal(other.received.filter(isTheCreate).length, 0, "nothing delivered to the blocked host");
  });

  test("a POST to an outbox from outside is refused: only the node's own relay may hand it activities", async () => {
    const create = { "@context": AS, id: `${origin()}/@bikekitchen#forged`, type: "Create", actor: `${origin()}/@bikekitchen`, object: { type: "Note", content: "forged" } };
    const res = await node.http.post("/@bikekitchen/outbox").set("Content-Type", "application/activity+json").send(JSON.stringify(create));
    assert.equal(res.status, 401, res.text);
    const signed = await send(alice(), `${origin()}/@bikekitchen/outbox`, create);
    assert.equal(signed.status, 401, signed.text);
    await settled(node);
    assert.ok(!friendly.received.some((r) => r.activity.id === create.id), "the forged activity was not delivered");
  });
});
