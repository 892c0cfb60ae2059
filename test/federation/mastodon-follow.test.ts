import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { detachSignature, verifyJsonLd, verifyObject } from "@fedify/fedify";
import { Activity } from "@fedify/vocab";
import { PUBLIC } from "../fakes/mastodon-documents.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { settled, uploadImage } from "./listening-node.ts";
import { asArray, auth, deliveriesOf, eventually, followProject, idOf, postUpdate, type Scenario, startScenario } from "./mastodon-scenario.ts";

/**
 * A stock Mastodon 4.x account follows a project and receives its updates, end to end over real
 * loopback HTTP with real signatures both ways (docs/mastodon.md: follows, notes, delivery).
 */

/** Mastodon's sanitizer allowlist (sanitize_config.rb): anything else is stripped on display. */
const ALLOWED_TAGS = new Set(["p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i", "em", "ul", "ol", "li", "ruby", "rt", "rp"]);

function tagsOutsideAllowlist(html: string): string[] {
  return [...html.matchAll(/<\s*([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()).filter((tag) => !ALLOWED_TAGS.has(tag));
}

describe(`a Mastodon account follows a project and gets its updates (${ENGINE_LABEL})`, () => {
  let s: Scenario;
  let groupFollowers: string;
  let update: { id: string; iri: string; url: string };
  let created: Record<string, unknown>;

  before(async () => {
    s = await startScenario({ otherUsers: ["bob"] });
    const group = await s.fake.fetchObject(s.project.iri);
    groupFollowers = String(group.json?.followers);
  });
  after(async () => {
    await s?.close();
  });

  test("Alice's Follow is answered with an Accept signed by the Group, at her personal inbox", async () => {
    const accept = await followProject(s);
    assert.equal(accept.verified, true, accept.verification.error);
    assert.equal(accept.keyId, `${s.project.iri}#main-key`);
    assert.equal(accept.verification.keyOwner, s.project.iri);
    assert.equal(accept.path, new URL(s.fake.inbox).pathname);
    const activity = accept.activity!;
    assert.equal(activity.actor, s.project.iri);
    const follow = activity.object;
    if (typeof follow === "object") {
      assert.equal((follow as Record<string, unknown>).type, "Follow");
      assert.equal(idOf((follow as Record<string, unknown>).actor), s.fake.actorId);
      assert.equal(idOf((follow as Record<string, unknown>).object), s.project.iri);
    }
    assert.deepEqual(accept.problems, []);
    // Our node resolved Alice with a signed GET (secure-mode Mastodon servers demand it, docs/mastodon.md#signatures).
    assert.ok(s.fake.gets.some((g) => g.path === new URL(s.fake.actorId).pathname && g.signature !== undefined));
  });

  test("the followers API lists Alice, then Bob from the same server", async () => {
    let res = await s.node.http.get(`/api/v1/projects/${s.project.handle}/followers`);
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 1);
    assert.deepEqual(
      res.body.items.map((i: { acct: string; iri: string }) => ({ acct: i.acct, iri: i.iri })),
      [{ acct: `alice@${s.fake.domain}`, iri: s.fake.actorId }],
    );
    await followProject(s, "bob");
    res = await s.node.http.get(`/api/v1/projects/${s.project.handle}/followers`);
    assert.equal(res.body.total, 2);
  });

  test("an update with an image arrives once, at the shared inbox, signed by the Group", async () => {
    const image = await uploadImage(s.node, s.maintainer, "Aerial photo of the school roof");
    update = await postUpdate(s, { content: "**Roof survey this Saturday.** We need 6 volunteers. #solarpanels", images: [image.id] });
    const delivery = await s.fake.waitForDelivery("the update's Create", (d) => d.activity?.type === "Create" && idOf(d.activity.object) === update.iri);
    await settled(s.node);
    // Two followers on one server: one POST to its shared inbox (docs/mastodon.md#delivery).
    assert.equal(deliveriesOf(s.fake, "Create", update.iri).length, 1);
    assert.equal(delivery.inbox, "shared");
    assert.equal(delivery.verified, true, delivery.verification.error);
    assert.equal(delivery.keyId, `${s.project.iri}#main-key`);
    assert.deepEqual(delivery.problems, []);
    created = delivery.activity!;
    assert.equal(created.actor, s.project.iri);
  });

  test("the delivered Note has every field Mastodon reads (docs/mastodon.md#notes)", () => {
    const note = created.object as Record<string, unknown>;
    assert.equal(note.type, "Note");
    assert.equal(note.id, update.iri);
    assert.equal(new URL(String(note.id)).host, new URL(s.node.origin).host);
    assert.equal(note.attributedTo, s.project.iri);
    assert.ok(!Number.isNaN(Date.parse(String(note.published))), `published: ${String(note.published)}`);
    assert.equal(idOf(asArray(note.url)[0]) ?? (asArray(note.url)[0] as { href?: string })?.href, update.url);
    assert.ok(asArray(note.to).includes(PUBLIC), `to: ${JSON.stringify(note.to)}`);
    assert.ok(asArray(note.cc).includes(groupFollowers), `cc: ${JSON.stringify(note.cc)} lacks ${groupFollowers}`);
    const content = String(note.content);
    assert.match(content, /<strong>Roof survey this Saturday\.<\/strong>/);
    assert.deepEqual(tagsOutsideAllowlist(content), []);
    const languages = Object.keys(note.contentMap as Record<string, string>);
    assert.equal(languages.length, 1);
    assert.equal((note.contentMap as Record<string, string>)[languages[0]!], content);
    const attachments = asArray(note.attachment) as Record<string, unknown>[];
    assert.equal(attachments.length, 1);
    const media = attachments[0]!;
    assert.equal(media.type, "Image");
    assert.equal(media.href, undefined, "media must not carry href (a link card on 4.7)");
    assert.match(String(media.url), new RegExp(`^${s.node.origin}/`));
    assert.match(String(media.mediaType), /^image\/(jpeg|png|webp|gif|avif)$/);
    assert.equal(media.name, "Aerial photo of the school roof");
    assert.equal(media.width, 320);
    assert.equal(media.height, 200);
    // Mastodon keeps the sender's blurhash and focal point (media_attachment_parser.rb) instead of
    // computing its own from the downloaded file.
    assert.match(String(media.blurhash), /^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/);
    assert.deepEqual(media.focalPoint, [0, 0]);
    const context = JSON.stringify(created["@context"]);
    assert.match(context, /"blurhash":"toot:blurhash"/, "Mastodon compacts an LD-signed payload: blurhash must be in @context");
  });

  test("the delivered Create carries an LD signature and an Object Integrity Proof that verify over every field", async () => {
    const documentLoader = async (url: string) => ({ contextUrl: null, documentUrl: url, document: (await s.fake.fetchObject(url.split("#")[0]!)).json });
    assert.equal((created.signature as Record<string, unknown>)?.type, "RsaSignature2017");
    assert.equal(await verifyJsonLd(created, { documentLoader }), true, "RsaSignature2017 (relayed copies, process_activity_service.rb)");
    const proof = created.proof as Record<string, unknown>;
    assert.equal(proof.cryptosuite, "eddsa-jcs-2022");
    const verified = await verifyObject(Activity, detachSignature(created), { documentLoader });
    assert.equal(verified?.id?.href, created.id, "FEP-8b32 proof over the delivered JSON, blurhash included");
    const tampered = structuredClone(detachSignature(created)) as Record<string, unknown>;
    ((tampered.object as Record<string, unknown>).attachment as Record<string, unknown>[])[0]!.blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";
    assert.equal(await verifyObject(Activity, tampered, { documentLoader }), null);
  });

  test("the Note answers Mastodon's signed GET with the same Note, as application/activity+json", async () => {
    const res = await s.fake.fetchObject(update.iri);
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^application\/activity\+json/);
    assert.equal(res.json?.id, update.iri);
    assert.equal(res.json?.type, "Note");
    assert.equal(res.json?.attributedTo, s.project.iri);
    assert.equal(res.json?.content, (created.object as Record<string, unknown>).content);
    assert.ok(asArray(res.json?.to).includes(PUBLIC), `served to: ${JSON.stringify(res.json?.to)}`);
    const served = (asArray(res.json?.attachment) as Record<string, unknown>[])[0]!;
    assert.match(String(served.blurhash), /^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/);
    assert.equal((served.focalPoint as number[]).length, 2);
    // Search-by-URL asks with text/html as a fallback (fetch_resource_service.rb:6-7) and must still get JSON.
    const search = await s.fake.fetchObject(update.iri, { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams", application/activity+json, text/html;q=0.1' });
    assert.equal(search.status, 200);
    assert.equal(search.json?.id, update.iri);
  });

  test("an edit sends Update with a newer `updated`", async () => {
    const res = await s.node.http.patch(`/api/v1/projects/${s.project.handle}/updates/${update.id}`).set(...auth(s.maintainer)).send({ content: "**Roof survey moved to Sunday.** #solarpanels" });
    assert.equal(res.status, 200, res.text);
    const delivery = await s.fake.waitForDelivery("the update's Update", (d) => d.activity?.type === "Update" && idOf(d.activity.object) === update.iri);
    assert.equal(delivery.verified, true, delivery.verification.error);
    assert.equal(delivery.keyId, `${s.project.iri}#main-key`);
    assert.deepEqual(delivery.problems, []);
    const note = delivery.activity!.object as Record<string, unknown>;
    assert.notEqual(delivery.activity!.id, created.id);
    assert.match(String(note.content), /Roof survey moved to Sunday/);
    assert.ok(Date.parse(String(note.updated)) > Date.parse(String(note.published)), `updated ${String(note.updated)} is not after published ${String(note.published)}`);
    const fetched = await s.fake.fetchObject(update.iri);
    assert.match(String(fetched.json?.content), /Roof survey moved to Sunday/);
  });

  test("a delete sends Delete{Tombstone} and the Note then answers 410", async () => {
    const res = await s.node.http.delete(`/api/v1/projects/${s.project.handle}/updates/${update.id}`).set(...auth(s.maintainer));
    assert.equal(res.status, 204, res.text);
    const delivery = await s.fake.waitForDelivery("the update's Delete", (d) => d.activity?.type === "Delete" && idOf(d.activity.object) === update.iri);
    assert.equal(delivery.verified, true, delivery.verification.error);
    assert.equal(delivery.activity!.actor, s.project.iri);
    assert.equal((delivery.activity!.object as Record<string, unknown>).type, "Tombstone");
    const gone = await s.fake.fetchObject(update.iri);
    assert.equal(gone.status, 410);
  });

  test("Undo(Follow) from Alice and Bob empties the followers list", async () => {
    for (const account of [s.fake, s.fake.account("bob")]) {
      const sent = await account.undoFollow(s.project.iri);
      assert.equal(sent.status, 202, sent.text);
    }
    await eventually("the followers list to empty", async () => {
      const res = await s.node.http.get(`/api/v1/projects/${s.project.handle}/followers`);
      return res.body.total === 0 && res.body.items.length === 0 ? true : undefined;
    });
  });
});
