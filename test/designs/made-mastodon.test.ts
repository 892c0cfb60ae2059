import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createFakeMastodon, type FakeMastodon } from "../fakes/fake-mastodon.ts";
import { asArray, idOf } from "../fakes/mastodon-rules.ts";
import { eventually, type ListeningNode, startListeningNode } from "../federation/listening-node.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { bearer, createMember, type DesignRelease, lyonReport, type Member, publishDesign, uploadPhoto } from "./made-fixtures.ts";

/**
 * A Mastodon account follows a design; a member reports a build of its release; Mastodon receives the
 * design's Note ("Made in Lyon: …") with the photo and its alt text, signed and shaped as Mastodon
 * accepts it (the fake records what a real Mastodon would object to).
 */

let node: ListeningNode;
let fake: FakeMastodon;
let maria: Member;
let ines: Member;
let dryer: DesignRelease;

before(async () => {
  node = await startListeningNode();
  fake = await createFakeMastodon();
  maria = await createMember(node, "maria");
  ines = await createMember(node, "ines");
  dryer = await publishDesign(node, maria, "dryer", "Solar dryer");
});
after(async () => {
  await fake?.close();
  await node?.close();
});

describe(`a Mastodon follower of a design sees where it was made (${ENGINE_LABEL})`, () => {
  test("the report's Note reaches Mastodon with the place, the release and the photo's alt text", async () => {
    const sent = await fake.follow(dryer.designIri);
    assert.equal(sent.status, 202, sent.text);
    await eventually("the follow accepted", async () => (fake.followState(dryer.designIri) === "accepted" ? true : undefined));

    const photo = await uploadPhoto(node, ines, "Three dryers on a roof garden");
    const res = await node.http.post(`/api/v1/designs/dryer/releases/1.0.0/made`).set(...bearer(ines)).send(lyonReport({ media: [{ id: photo }] }));
    assert.equal(res.status, 201, res.text);

    const noteId = `${node.origin}/@dryer/made/${res.body.id}`;
    const delivery = await fake.waitForDelivery("the made-here Note", (d) => d.activity?.type === "Create" && idOf(d.activity.object) === noteId);
    assert.equal(delivery.verified, true, "signed as Mastodon verifies");
    assert.deepEqual(delivery.problems, [], "nothing Mastodon would refuse");
    const note = delivery.activity!.object as Record<string, any>;
    assert.equal(note.type, "Note");
    assert.equal(note.attributedTo, dryer.designIri);
    assert.match(note.content, /^<p>Made in Lyon: Solar dryer 1\.0\.0 — Built three for the roof garden\.<\/p>$/);
    assert.ok(asArray(note.to).includes("https://www.w3.org/ns/activitystreams#Public"));
    const [image] = asArray(note.attachment) as Record<string, any>[];
    assert.equal(image?.type, "Image");
    assert.equal(image?.name, "Three dryers on a roof garden");
    assert.match(String(image?.url), /^http:\/\/127\.0\.0\.1:\d+\/media\//);

    const served = await fetch(noteId, { headers: { Accept: "application/activity+json" } });
    assert.equal(served.status, 200, "the Note is served at its id");
    assert.equal(((await served.json()) as { content: string }).content, note.content);
  });
});
