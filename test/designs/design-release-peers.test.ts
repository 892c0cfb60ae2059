import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createFakeNode, type FakeNode } from "../peers/helpers/fake-node.ts";
import { CreateDesignSchema } from "../../server/modules/designs/index.ts";
import { sha256Of, storedFile } from "./design-fixtures.ts";

/**
 * A release goes to the Commonsnet nodes this node peers with (those following its node actor) as a
 * `Create` of the ForgeFed `Release`, signed by the design; a node that is not a peer gets nothing.
 */
describe(`a release reaches peer nodes as a Release (${ENGINE_LABEL})`, () => {
  let node: TestNode;
  let workers: { stop(): Promise<void> };
  let peer: FakeNode;
  let maria: LocalMember;
  const nodeActor = () => `${node.config.publicUrl.origin}/@node`;

  before(async () => {
    node = await createInboxTestNode();
    workers = startWorkers(node);
    maria = await createMember(node, "maria");
    peer = await createFakeNode(node, "127.0.0.2");
    // The peer asks to connect (open federation, the default charter): our node actor accepts its Follow.
    const follow = { id: `${peer.actor.id}#follows/1`, type: "Follow", actor: peer.actor.id, object: nodeActor() };
    assert.equal((await peer.post(node, `${nodeActor()}/inbox`, follow)).status, 202);
    await peer.peer.waitFor("our Accept", (r) => r.activity.type === "Accept");
    await eventually("the peer to follow our node actor", async () => ((await node.services.peers.list()).some((p) => p.theyFollow === "accepted") ? true : undefined));
  });
  after(async () => {
    await workers?.stop();
    await peer?.close();
    await node?.close();
  });

  test("the peer receives Create(Release) from the design, signed, with files and hashes", async () => {
    await node.services.designs.create(maria.actorId, CreateDesignSchema.parse({ handle: "solar-dryer", name: "Solar dryer", licence: "CERN-OHL-S-2.0", licensor: "Atelier Soleil" }));
    const release = await node.services.designs.publishRelease(maria.actorId, "solar-dryer", ReleaseInputSchema.parse({ version: "2.1.0", notes: "Stronger frame", drl: "ODRL-3" }), [
      storedFile("frame.step", "solid", { mediaType: "model/step", role: "export" }),
    ]);
    const received = await peer.peer.waitFor("the Release", (r) => r.activity.type === "Create" && JSON.stringify((r.activity.object as Record<string, unknown>)?.type) === '["Release","Document"]');
    assert.equal(received.verified, true, "the HTTP signature verifies");
    assert.equal(received.keyId, `${node.config.publicUrl.origin}/@solar-dryer#main-key`);
    const activity = received.activity as Record<string, any>;
    assert.equal(activity.actor, `${node.config.publicUrl.origin}/@solar-dryer`);
    assert.deepEqual(activity.to, [peer.actor.id]);
    assert.ok(activity.proof, "an Object Integrity Proof, as every activity we sign");
    const object = activity.object;
    assert.equal(object.id, release.iri);
    assert.equal(object.name, "v2.1.0");
    assert.equal(object.version, "2.1.0");
    assert.equal(object.licensor, "Atelier Soleil");
    assert.equal(object.documentationReadinessLevel, "ODRL-3");
    assert.deepEqual(object.license, { licenseId: "CERN-OHL-S-2.0" });
    assert.deepEqual(
      object.attachment.filter((a: any) => a.sha256).map((a: any) => [a.name, a.sha256, a.size]),
      [["frame.step", sha256Of("solid"), 5]],
    );
    // Only peers get the Release: the design has no followers, so no announcement went anywhere else.
    assert.equal(peer.peer.received.filter((r) => (r.activity.object as Record<string, unknown>)?.type === "Note").length, 0);
  });
});
