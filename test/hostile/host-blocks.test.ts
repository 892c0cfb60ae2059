import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { configure, reset } from "@logtape/logtape";
import { uuidv7 } from "../../server/platform/ids.ts";
import { countReactions } from "../../server/modules/notes/note-reactions.queries.ts";
import { insertNote } from "../../server/modules/notes/note.repository.ts";
import { adminToken } from "../accounts/account-helpers.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { settled } from "../federation/listening-node.ts";
import { inboxDrained } from "../timeline/helpers/timeline-env.ts";

/**
 * Issue 9, finding 4: a charter block must hold whatever spelling of the host a peer uses. Each peer
 * here is a real HTTP server signing like Mastodon; the block is set through the admin API as an
 * admin would type it, and the attack is a signed Like (or an update the node would deliver).
 */
const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let admin: string;
let maria: { token: string };
let projectActorId: number;
let onLoopback: SigningPeer; // http://127.0.0.1:<port>
let elsewhere: SigningPeer; // http://127.0.0.2:<port>, never blocked here
let trailingDot: SigningPeer; // ids on http://localhost.:<port>
let subdomain: SigningPeer; // ids on http://relay.spam.localhost:<port>
let workers: { stop(): Promise<void> };

before(async () => {
  await configure({ reset: true, sinks: {}, loggers: [{ category: ["logtape", "meta"], lowestLevel: "error", sinks: [] }] });
  node = await createInboxTestNode();
  admin = await adminToken(node, "root_admin");
  onLoopback = await createSigningPeer(node, ["alice"]);
  elsewhere = await createSigningPeer(node, ["erin"], { address: "127.0.0.2" });
  trailingDot = await createSigningPeer(node, ["dot"], { hostname: "localhost." });
  subdomain = await createSigningPeer(node, ["sub"], { hostname: "relay.spam.localhost" });
  const member = await createMember(node, "maria");
  maria = member;
  projectActorId = (await createProjectOf(node, member, "bikekitchen")).actorId;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  for (const peer of [onLoopback, elsewhere, trailingDot, subdomain]) await peer.close();
  await node.close();
  await reset();
});

const origin = () => node.config.publicUrl.origin;
const hostOf = (peer: SigningPeer) => new URL(peer.origin).host;
const db = () => node.database.db;
let sequence = 0;

async function setBlocks(block: string[]): Promise<number> {
  const current = (await node.http.get("/api/v1/charter")).body;
  const res = await node.http
    .put("/api/v1/admin/charter")
    .set("Authorization", `Bearer ${admin}`)
    .send({ ...current.document, federation: { mode: "blocklist", allow: [], block }, basedOn: current.version });
  assert.ok(res.status === 201 || res.status === 200, res.text);
  return res.body.version;
}

async function newNote(): Promise<{ id: string; iri: string }> {
  const id = uuidv7();
  await insertNote(db(), { id, authorActorId: projectActorId, contentSource: "Repair night", contentHtml: "<p>Repair night</p>", publishedAt: new Date() });
  return { id, iri: `${origin()}/@bikekitchen/updates/${id}` };
}

async function sendLike(peer: SigningPeer, actor: PeerActor, object: string) {
  const like = { "@context": AS, id: `${actor.id}#likes/${++sequence}`, type: "Like", actor: actor.id, object };
  return { like, res: await deliver(node, await peer.signedPost(`${origin()}/@bikekitchen/inbox`, like, actor)) };
}

const likes = async (noteId: string) => (await countReactions(db(), [noteId])).get(noteId)?.likes ?? 0;

function assertRefused(res: { status: number; text: string }, host: string, version: number) {
  assert.equal(res.status, 403, res.text);
  assert.deepEqual(JSON.parse(res.text), { error: "forbidden", message: `${host} is not federated with under this node's charter (version ${version})` });
}

describe(`charter blocks against other spellings of a host on ${ENGINE_LABEL}`, () => {
  test("a block of 127.0.0.1 refuses a signed Like from 127.0.0.1:<port>; 127.0.0.2 still likes", async () => {
    const note = await newNote();
    const version = await setBlocks(["127.0.0.1"]);
    const { like, res } = await sendLike(onLoopback, onLoopback.actors.alice!, note.iri);
    assertRefused(res, hostOf(onLoopback), version);
    const allowed = await sendLike(elsewhere, elsewhere.actors.erin!, note.iri);
    assert.equal(allowed.res.status, 202, allowed.res.text);
    await eventually("the Like from 127.0.0.2 counted", async () => ((await likes(note.id)) === 1 ? true : undefined));
    await inboxDrained(node);
    assert.equal(await db().selectFrom("note_interactions").select("id").where("activity_iri", "=", like.id).executeTakeFirst(), undefined, "the refused Like was not stored");
  });

  test("a block typed as `localhost` refuses `localhost.:<port>`, and one typed `Localhost.` refuses it too", async () => {
    const note = await newNote();
    for (const entry of ["localhost", "Localhost."]) {
      const version = await setBlocks([entry]);
      const { res } = await sendLike(trailingDot, trailingDot.actors.dot!, note.iri);
      assertRefused(res, hostOf(trailingDot), version);
    }
    const charter = (await node.http.get("/api/v1/charter")).body;
    assert.deepEqual(charter.document.federation.block, ["localhost"], "the entry is stored without its root dot");
  });

  test("a block of a domain refuses a signed Like from its subdomain", async () => {
    const note = await newNote();
    const version = await setBlocks(["spam.localhost"]);
    const { res } = await sendLike(subdomain, subdomain.actors.sub!, note.iri);
    assertRefused(res, hostOf(subdomain), version);
  });

  test("a follower on 127.0.0.1:<port> gets no update once 127.0.0.1 is blocked; 127.0.0.2 still does", async () => {
    await setBlocks([]);
    for (const [peer, actor] of [[onLoopback, onLoopback.actors.alice!], [elsewhere, elsewhere.actors.erin!]] as const) {
      const follow = { "@context": AS, id: `${peer.origin}/follows/${++sequence}`, type: "Follow", actor: actor.id, object: `${origin()}/@bikekitchen` };
      assert.equal((await deliver(node, await peer.signedPost(`${origin()}/@bikekitchen/inbox`, follow, actor))).status, 202);
      await eventually(`${actor.name} following`, () =>
        db().selectFrom("followers").innerJoin("remote_actors", "remote_actors.id", "followers.remote_actor_id").select("followers.id").where("remote_actors.iri", "=", actor.id).executeTakeFirst(),
      );
    }
    await setBlocks(["127.0.0.1"]);
    const posted = await node.http.post("/api/v1/projects/bikekitchen/updates").set("Authorization", `Bearer ${maria.token}`).send({ content: "Wheel-truing night" });
    assert.equal(posted.status, 201, posted.text);
    const isTheCreate = (r: { activity: Record<string, unknown> }) => r.activity.type === "Create" && (r.activity.object as Record<string, unknown> | undefined)?.id === posted.body.iri;
    await elsewhere.waitFor("the update at 127.0.0.2", isTheCreate);
    await settled(node);
    assert.equal(onLoopback.received.filter(isTheCreate).length, 0, "nothing delivered to the blocked address");
  });
});
