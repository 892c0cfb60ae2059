import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { configure, reset } from "@logtape/logtape";
import { parseHTML } from "linkedom";
import { uuidv7 } from "../../server/platform/ids.ts";
import { insertNote } from "../../server/modules/notes/note.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { createNoteActivity, inboxDrained } from "../timeline/helpers/timeline-env.ts";

/**
 * Issue 9, finding 7: a remote server chooses its actors' preferredUsername and name freely. Shown
 * as they come, `admin‮elpmaxe.nodotsam@…` reads as an admin of another server and a name like
 * `https://mastodon.social/@Gargron` passes for a link to that account. The peer here signs like
 * Mastodon and replies to a project update; what a visitor then sees on the update page is checked.
 */
const RLO = "\u202e";
let node: TestNode;
let peer: SigningPeer;
let projectActorId: number;
let workers: { stop(): Promise<void> };

before(async () => {
  await configure({ reset: true, sinks: {}, loggers: [{ category: ["logtape", "meta"], lowestLevel: "error", sinks: [] }] });
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, []);
  const maria = await createMember(node, "maria");
  projectActorId = (await createProjectOf(node, maria, "bikekitchen")).actorId;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
  await reset();
});

const origin = () => node.config.publicUrl.origin;
const peerHost = () => new URL(peer.origin).host;
const db = () => node.database.db;

async function newUpdate(): Promise<{ id: string; iri: string; path: string }> {
  const id = uuidv7();
  await insertNote(db(), { id, authorActorId: projectActorId, contentSource: "Repair night", contentHtml: "<p>Repair night</p>", publishedAt: new Date() });
  const iri = `${origin()}/@bikekitchen/updates/${id}`;
  return { id, iri, path: new URL(iri).pathname };
}

/** A peer actor whose document says what a hostile server wants it to say. */
async function hostileActor(name: string, fields: Record<string, unknown>): Promise<PeerActor> {
  const actor = await peer.addActor(name);
  actor.document = { ...actor.document, ...fields };
  return actor;
}

async function reply(actor: PeerActor, inReplyTo: string, content: string) {
  const create = createNoteActivity(peer, actor, { inReplyTo, content: `<p>${content}</p>` });
  const res = await deliver(node, await peer.signedPost(`${origin()}/inbox`, create, actor));
  assert.equal(res.status, 202, res.text);
  return create;
}

async function repliesOnPage(path: string) {
  const res = await node.http.get(path).set("Accept", "text/html");
  assert.equal(res.status, 200);
  return [...parseHTML(res.text).document.querySelectorAll(".replies li.reply")];
}

describe(`remote usernames and display names that lie on ${ENGINE_LABEL}`, () => {
  test("an actor whose preferredUsername carries a right-to-left override, an @ and quotes is refused: not stored, its reply not shown", async () => {
    const update = await newUpdate();
    const liar = await hostileActor("liar", { preferredUsername: `admin${RLO}elpmaxe.nodotsam@"x"`, name: "Admin" });
    const create = await reply(liar, update.iri, "I am the admin of mastodon.example");
    const honest = await hostileActor("honest", { preferredUsername: "honest", name: "Honest" });
    await reply(honest, update.iri, "Hello");
    await eventually("the honest reply", () => db().selectFrom("remote_posts").select("id").where("reply_to_note_id", "=", update.id).executeTakeFirst());
    await inboxDrained(node);
    assert.equal(await db().selectFrom("remote_actors").select("id").where("iri", "=", liar.id).executeTakeFirst(), undefined);
    assert.equal(await db().selectFrom("remote_posts").select("id").where("iri", "=", create.object.id).executeTakeFirst(), undefined);
    const replies = await repliesOnPage(update.path);
    assert.equal(replies.length, 1);
    assert.equal(replies[0]!.querySelector(".reply-author a.handle")?.textContent, `@honest@${peerHost()}`);
    assert.ok(!replies.some((r) => r.textContent!.includes(RLO)));
  });

  test("a display name that is a URL is shown as text, not linked; the link is the handle on the actor's real host", async () => {
    const update = await newUpdate();
    const gargron = "https://mastodon.social/@Gargron";
    const mallory = await hostileActor("mallory", { name: `${RLO}${gargron}`, url: gargron });
    await reply(mallory, update.iri, "Official announcement");
    await eventually("mallory's reply", () => db().selectFrom("remote_posts").select("id").where("reply_to_note_id", "=", update.id).executeTakeFirst());
    const stored = await db().selectFrom("remote_actors").select(["name", "handle"]).where("iri", "=", mallory.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { name: gargron, handle: `mallory@${peerHost()}` }, "stored without the bidi control");

    const [shown] = await repliesOnPage(update.path);
    const author = shown!.querySelector(".reply-author")!;
    assert.equal(author.querySelector(".p-name")?.textContent, gargron);
    assert.equal(author.querySelector(".p-name")?.tagName, "SPAN", "the name is no link");
    const links = [...author.querySelectorAll("a")];
    assert.deepEqual(links.map((a) => [a.textContent, a.getAttribute("href")]), [[`@mallory@${peerHost()}`, mallory.id]], "one link: the real handle, to the actor on its own host (not the mastodon.social url it claims)");
  });

  test("a handle stored before usernames were checked shows only the actor's real host", async () => {
    const update = await newUpdate();
    const actorIri = `${peer.origin}/users/old`;
    const remote = await db()
      .insertInto("remote_actors")
      .values({ iri: actorIri, type: "Person", handle: `admin@mastodon.example${RLO}"@${peerHost()}`, name: `Admin${RLO}`, url: null, inbox: `${actorIri}/inbox` })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db().insertInto("remote_posts").values({ iri: `${actorIri}/statuses/1`, author_remote_actor_id: remote.id, reply_to_note_id: update.id, content_html: "<p>Old</p>", published_at: new Date() }).execute();
    const [shown] = await repliesOnPage(update.path);
    assert.equal(shown!.querySelector(".reply-author a.handle")?.textContent, `@${peerHost()}`);
    assert.equal(shown!.querySelector(".reply-author .p-name")?.textContent, "Admin");
    assert.ok(!shown!.textContent!.includes("mastodon.example"));
  });
});
