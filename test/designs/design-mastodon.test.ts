import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { createFakeMastodon, type FakeMastodon } from "../fakes/fake-mastodon.ts";
import { asArray, idOf } from "../fakes/mastodon-rules.ts";
import { auth, createMaintainer, eventually, type ListeningNode, type Maintainer, startListeningNode } from "../federation/listening-node.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { sha256Of, storedFile } from "./design-fixtures.ts";

/**
 * A Mastodon account follows a design (a `Service` actor), gets an Accept, receives the release
 * announcement with its preview image, and likes and replies to it; the design's counts show them.
 */
describe(`a Mastodon account follows a design and sees its releases (${ENGINE_LABEL})`, () => {
  let node: ListeningNode;
  let fake: FakeMastodon;
  let maria: Maintainer;
  let design: { handle: string; iri: string };
  let noteIri: string;
  let releaseId: string;

  before(async () => {
    node = await startListeningNode();
    fake = await createFakeMastodon();
    maria = await createMaintainer(node, "maria");
    const res = await node.http.post("/api/v1/designs").set(...auth(maria)).send({ handle: "solar-dryer", name: "Solar dryer", summary: "Passive solar food dryer.", licence: "CERN-OHL-S-2.0" });
    assert.equal(res.status, 201, res.text);
    design = res.body;
  });
  after(async () => {
    await fake?.close();
    await node?.close();
  });

  test("Mastodon follows the design by its URL and gets an Accept signed by it", async () => {
    const sent = await fake.follow(design.iri);
    assert.equal(sent.status, 202, sent.text);
    const followId = String(sent.activity.id);
    const accept = await fake.waitForDelivery("the Accept", (d) => d.activity?.type === "Accept" && idOf(d.activity.object) === followId);
    assert.ok(accept.verified, `the Accept's signature verifies: ${accept.verification.error ?? ""}`);
    assert.equal(accept.activity?.actor, design.iri);
    await eventually("the follow to be accepted", async () => (fake.followState(design.iri) === "accepted" ? true : undefined));
  });

  test("a release reaches Alice as a Note with the preview image, which Mastodon accepts", async () => {
    const release = await node.services.designs.publishRelease(maria.actorId, design.handle, ReleaseInputSchema.parse({ version: "1.0.0", notes: "First release: stronger frame." }), [
      storedFile("frame.step", "solid", { mediaType: "model/step" }),
      storedFile("dryer.jpg", "jpeg", { mediaType: "image/jpeg", role: "image", preview: { sha256: sha256Of("webp"), width: 640, height: 480 } }),
    ]);
    releaseId = release.id;
    const delivery = await fake.waitForDelivery("the release Note", (d) => d.activity?.type === "Create" && (d.activity.object as Record<string, unknown>)?.type === "Note");
    assert.ok(delivery.verified, `signature verified: ${delivery.verification.error ?? ""}`);
    assert.deepEqual(delivery.problems, [], "nothing Mastodon would refuse");
    const note = delivery.activity!.object as Record<string, any>;
    noteIri = note.id;
    assert.equal(note.attributedTo, design.iri);
    assert.ok(asArray(note.to).includes("https://www.w3.org/ns/activitystreams#Public"));
    assert.match(note.content, /Solar dryer 1\.0\.0 released/);
    assert.match(note.content, /First release: stronger frame\./);
    assert.match(note.content, new RegExp(`href="${node.origin}/@solar-dryer/releases/1.0.0"`));
    assert.deepEqual(asArray(note.attachment).map((a: any) => [a.type, a.mediaType, a.url, a.name]), [
      ["Document", "image/webp", `${node.origin}/@solar-dryer/releases/1.0.0/files/dryer.jpg/preview`, "dryer.jpg"],
    ]);
    assert.equal(fake.deliveries.filter((d) => d.activity?.type === "Create").length, 1, "no Release to Mastodon, which is not a peer");
    const update = await fake.waitForDelivery("the design's new current release", (d) => d.activity?.type === "Update");
    assert.deepEqual(update.problems, []);
    const fields = asArray((update.activity!.object as Record<string, any>).attachment).filter((a: any) => a.type === "PropertyValue") as { name: string; value: string }[];
    assert.match(fields.find((f) => f.name === "Current release")?.value ?? "", />1\.0\.0</);
  });

  test("the Note is served at its id, and a like and a reply are counted", async () => {
    const fetched = await fake.fetchObject(noteIri);
    assert.equal(fetched.status, 200);
    const like = await fake.like(noteIri);
    assert.equal(like.status, 202, like.text);
    const reply = await fake.reply(noteIri, design.iri, "Built one in Lyon, works great!");
    assert.ok(reply.results.every((r) => r.status === 202), JSON.stringify(reply.results.map((r) => r.status)));
    const boost = await fake.announce(noteIri);
    assert.equal(boost.status, 202, boost.text);
    const counts = await eventually("a like, a reply and a boost", async () => {
      const c = (await node.services.updates.countsOf([releaseId])).get(releaseId)!;
      return c.likes === 1 && c.replies === 1 && c.boosts === 1 ? c : undefined;
    });
    assert.deepEqual(counts, { replies: 1, likes: 1, boosts: 1 });
    const api = await node.http.get(`/api/v1/designs/${design.handle}/releases/1.0.0`);
    assert.equal(api.status, 200, api.text);
    assert.deepEqual(api.body.announcement, { iri: noteIri, counts: { replies: 1, likes: 1, boosts: 1 } });
    const replies = await node.services.updates.repliesOf(releaseId);
    assert.match(replies[0]!.contentHtml, /Built one in Lyon/);
  });

  test("an edit reaches Alice as Update(Service), which Mastodon accepts", async () => {
    const res = await node.http.patch(`/api/v1/designs/${design.handle}`).set(...auth(maria)).send({ summary: "Passive solar food dryer, 1 m²." });
    assert.equal(res.status, 200, res.text);
    const delivery = await fake.waitForDelivery("the Update", (d) => d.activity?.type === "Update" && /1 m²/.test(String((d.activity.object as Record<string, unknown>)?.summary)));
    assert.ok(delivery.verified, delivery.verification.error ?? "");
    assert.deepEqual(delivery.problems, []);
    const object = delivery.activity!.object as Record<string, any>;
    assert.equal(object.type, "Service");
    assert.equal(object.id, design.iri);
    assert.match(object.summary, /1 m²/);
  });

  test("Undo(Follow) removes Alice from the design's followers", async () => {
    const followers = async () => JSON.parse((await node.http.get(`/@${design.handle}/followers`).set("Accept", "application/activity+json")).text).totalItems as number;
    assert.equal(await followers(), 1);
    const sent = await fake.undoFollow(design.iri);
    assert.equal(sent.status, 202, sent.text);
    await eventually("no followers", async () => ((await followers()) === 0 ? true : undefined));
  });
});
