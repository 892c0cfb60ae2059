import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
// The inbox area's Mastodon-like peer: it follows for real and verifies what it receives.
import { createInboxTestNode, createMember, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type SigningPeer } from "../inbox/helpers/signing-peer.ts";

let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let member: LocalMember;
let memberIri: string;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["zoe"]);
  member = await createMember(node, "maria");
  memberIri = `${node.config.publicUrl.origin}/@maria`;
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

describe(`a member's profile edit reaches their fediverse followers (${ENGINE_LABEL})`, () => {
  test("a remote follower receives Update(Person), signed with the member's own key, at its shared inbox", async () => {
    const zoe = peer.actors.zoe!;
    const follow = { "@context": "https://www.w3.org/ns/activitystreams", id: `${peer.origin}/follows/1`, type: "Follow", actor: zoe.id, object: memberIri };
    assert.equal((await deliver(node, await peer.signedPost(`${memberIri}/inbox`, follow, zoe))).status, 202);
    const accept = await peer.waitFor("the Accept", (r) => r.activity.type === "Accept");
    assert.equal(accept.keyId, `${memberIri}#main-key`);

    await node.http
      .patch("/api/v1/me")
      .set("Authorization", `Bearer ${member.token}`)
      .send({ displayName: "Maria R.", bio: "Repairs <everything>." })
      .expect(200);
    const update = await peer.waitFor("the Update", (r) => r.activity.type === "Update");
    assert.equal(update.verified, true, "the signature verifies");
    assert.equal(update.keyId, `${memberIri}#main-key`);
    assert.equal(update.path, "/inbox", "one delivery per server, to the shared inbox");
    const object = update.activity.object as Record<string, unknown>;
    assert.equal(update.activity.actor, memberIri);
    assert.equal(object.type, "Person");
    assert.equal(object.id, memberIri);
    assert.equal(object.name, "Maria R.");
    assert.equal(object.summary, "<p>Repairs &#60;everything&#62;.</p>");
    await eventually("the outbox entry marked relayed", async () => {
      const row = await node.database.db.selectFrom("outbox").select("relayed_at").where("sender", "=", "maria").where("relayed_at", "is not", null).executeTakeFirst();
      return row ?? undefined;
    });
  });
});
