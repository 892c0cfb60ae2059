import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { markRemotePostDeleted } from "../../server/modules/remote-posts/remote-post.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { bearer, createNoteActivity, inboxDrained } from "./helpers/timeline-env.ts";

let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let maria: LocalMember;
let updateIri: string;
let updateId: string;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice", "bob", "mallory"]);
  maria = await createMember(node, "maria");
  await createProjectOf(node, maria, "bikekitchen");
  const res = await node.http
    .post("/api/v1/projects/bikekitchen/updates")
    .set(...bearer(maria))
    .set("Content-Type", "application/json")
    .send(JSON.stringify({ content: "Open workshop on Saturday" }));
  assert.equal(res.status, 201, res.text);
  updateIri = res.body.iri;
  updateId = res.body.id;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

const db = () => node.database.db;
const inboxUrl = () => `${node.config.publicUrl.origin}/inbox`;
const postRow = (iri: string) => db().selectFrom("remote_posts").selectAll().where("iri", "=", iri).executeTakeFirst();

async function send(activity: unknown, signer: PeerActor): Promise<void> {
  const res = await deliver(node, await peer.signedPost(inboxUrl(), activity, signer));
  assert.equal(res.status, 202, res.text);
}

describe(`inbound Create(Note) on ${ENGINE_LABEL}`, () => {
  test("a reply to a project update is stored as its comment, with HTML sanitised to the allowlist", async () => {
    const alice = peer.actors.alice!;
    const activity = createNoteActivity(peer, alice, {
      inReplyTo: updateIri,
      summary: "<b>CW:</b> tools",
      content:
        '<p>Count me in!<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">click</a> ' +
        '<a href="https://example.org/x" onclick="alert(4)">ok</a></p><iframe src="https://evil.example"></iframe>',
      attachment: [
        { type: "Document", mediaType: "image/jpeg", url: `${peer.origin}/media/1.jpg`, name: "A <b>bike</b>", width: 1200, height: 800 },
        { type: "Document", mediaType: "image/png", url: "javascript:alert(5)", name: "bad" },
        { type: "Link", href: "https://example.org/preview" },
        { type: "Image", mediaType: "image/webp", url: `${peer.origin}/media/2.webp` },
        { type: "Document", mediaType: "image/png", url: `${peer.origin}/media/3.png` },
        { type: "Document", mediaType: "image/png", url: `${peer.origin}/media/4.png` },
        { type: "Document", mediaType: "image/png", url: `${peer.origin}/media/5.png` },
      ],
    });
    await send(activity, alice);
    const row = await eventually("the reply row", () => postRow(activity.object.id));
    assert.equal(row.reply_to_note_id, updateId);
    assert.equal(row.in_reply_to_iri, updateIri);
    assert.equal(row.url, activity.object.url);
    assert.equal(row.summary, "CW: tools");
    assert.equal(row.published_at.toISOString(), "2026-08-22T10:00:00.000Z");
    assert.doesNotMatch(row.content_html, /<script|onerror|onclick|javascript:|<iframe|<img/i);
    assert.match(row.content_html, /Count me in!/);
    assert.match(row.content_html, /<a href="https:\/\/example.org\/x" rel="nofollow noopener noreferrer ugc">ok<\/a>/);
    assert.match(row.content_html, /<span>click<\/span>/);
    const attachments = row.attachments as { url: string; alt: string | null; mediaType: string | null; width: number | null }[];
    assert.equal(attachments.length, 4, "at most four media; the javascript: URL and the link preview are dropped");
    assert.deepEqual(attachments[0], { url: `${peer.origin}/media/1.jpg`, mediaType: "image/jpeg", alt: "A <b>bike</b>", width: 1200, height: 800, blurhash: null });
    assert.deepEqual(attachments.map((a) => a.url), [1, 2, 3, 4].map((i) => `${peer.origin}/media/${i}.${["jpg", "webp", "png", "png"][i - 1]}`));

    const author = await db().selectFrom("remote_actors").selectAll().where("id", "=", row.author_remote_actor_id).executeTakeFirstOrThrow();
    assert.equal(author.iri, alice.id);
    assert.equal(author.handle, `alice@${new URL(peer.origin).host}`);

    const update = await node.http.get(`/api/v1/projects/bikekitchen/updates/${updateId}`);
    assert.equal(update.status, 200, update.text);
    assert.equal(update.body.counts.replies, 1);
    assert.equal(update.body.replies.length, 1);
    assert.equal(update.body.replies[0].iri, activity.object.id);
    assert.equal(update.body.replies[0].author.iri, alice.id);
    assert.doesNotMatch(update.body.replies[0].contentHtml, /<script|onerror|javascript:/i);
  });

  test("a repeated delivery, or a new Create of the same Note, stores one row", async () => {
    const alice = peer.actors.alice!;
    const activity = createNoteActivity(peer, alice, { inReplyTo: updateIri });
    await send(activity, alice);
    await eventually("the reply row", () => postRow(activity.object.id));
    await send(activity, alice);
    await send({ ...activity, id: `${activity.id}-again`, object: { ...activity.object, content: "<p>changed</p>" } }, alice);
    await inboxDrained(node);
    const rows = await db().selectFrom("remote_posts").select(["id", "content_html"]).where("iri", "=", activity.object.id).execute();
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.content_html, /Post number/, "a Create never rewrites a stored post");
  });

  test("an object on another host than its actor is ignored (ORI-01)", async () => {
    const mallory = peer.actors.mallory!;
    const forged = createNoteActivity(peer, mallory, { id: "https://victim.example/notes/1", attributedTo: mallory.id, inReplyTo: updateIri });
    await send(forged, mallory);
    await inboxDrained(node);
    assert.equal(await postRow("https://victim.example/notes/1"), undefined);
  });

  test("a Note attributed to someone other than the activity's actor is ignored (ORI-02)", async () => {
    const mallory = peer.actors.mallory!;
    const alice = peer.actors.alice!;
    const forged = createNoteActivity(peer, mallory, { attributedTo: alice.id, inReplyTo: updateIri });
    await send(forged, mallory);
    const noAttribution = createNoteActivity(peer, mallory, { attributedTo: undefined, inReplyTo: updateIri });
    await send(noAttribution, mallory);
    await inboxDrained(node);
    assert.equal(await postRow(forged.object.id), undefined);
    assert.equal(await postRow(noAttribution.object.id), undefined);
  });

  test("a deleted post's IRI is never created again", async () => {
    const alice = peer.actors.alice!;
    const activity = createNoteActivity(peer, alice, { inReplyTo: updateIri });
    await send(activity, alice);
    const row = await eventually("the reply row", () => postRow(activity.object.id));
    assert.equal(await markRemotePostDeleted(db(), activity.object.id, row.author_remote_actor_id), true);
    await send({ ...activity, id: `${activity.id}-redelivered` }, alice);
    await inboxDrained(node);
    const after = await postRow(activity.object.id);
    assert.notEqual(after?.deleted_at, null);
    assert.equal(after?.content_html, "");
  });

  test("posts that are neither replies to our notes nor by followed accounts, and poll votes, are ignored", async () => {
    const bob = peer.actors.bob!;
    const unrelated = createNoteActivity(peer, bob);
    const elsewhere = createNoteActivity(peer, bob, { inReplyTo: "https://elsewhere.example/notes/9" });
    const unknownLocal = createNoteActivity(peer, bob, { inReplyTo: `${node.config.publicUrl.origin}/@bikekitchen/updates/00000000-0000-7000-8000-000000000000` });
    const vote = createNoteActivity(peer, bob, { name: "Option A", content: undefined, inReplyTo: updateIri });
    for (const activity of [unrelated, elsewhere, unknownLocal, vote]) await send(activity, bob);
    await inboxDrained(node);
    for (const activity of [unrelated, elsewhere, unknownLocal, vote]) assert.equal(await postRow(activity.object.id), undefined, activity.object.id);
  });

  test("an unsigned Create is refused with 401 and stores nothing", async () => {
    const alice = peer.actors.alice!;
    const activity = createNoteActivity(peer, alice, { inReplyTo: updateIri });
    const res = await node.http.post("/inbox").set("Content-Type", "application/activity+json").send(JSON.stringify(activity));
    assert.equal(res.status, 401);
    await inboxDrained(node);
    assert.equal(await postRow(activity.object.id), undefined);
  });
});
