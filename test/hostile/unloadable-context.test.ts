import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type SigningPeer } from "../inbox/helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice"]);
  const maria = await createMember(node, "maria");
  await createProjectOf(node, maria, "bikekitchen");
  // A context that answers, but with a page instead of JSON-LD.
  peer.serve("/context.html", "<!doctype html><p>not JSON-LD</p>", "text/html");
});
after(async () => {
  await peer.close();
  await node.close();
});

describe(`a signed activity naming a JSON-LD context the node cannot load, on ${ENGINE_LABEL}`, () => {
  test("is refused with 400 naming the context, not a 500 the sender would retry for days", async () => {
    const alice = peer.actors.alice!;
    const contexts = ["http://127.0.0.1:1/unreachable.jsonld", `${peer.origin}/context.html`];
    for (const [i, context] of contexts.entries()) {
      for (const inbox of ["/inbox", "/@bikekitchen/inbox", "/@maria/inbox"]) {
        const like = { "@context": [AS, context], id: `${alice.id}/likes/${i}${inbox.length}`, type: "Like", actor: alice.id, object: `${node.config.publicUrl.origin}/@bikekitchen` };
        const res = await deliver(node, await peer.signedPost(`${node.config.publicUrl.origin}${inbox}`, like, alice));
        assert.equal(res.status, 400, `${inbox} with ${context}: ${res.text.slice(0, 200)}`);
        assert.match(JSON.parse(res.text).message, new RegExp(`context ${context.replaceAll(".", "\\.")} could not be loaded`));
      }
    }
  });
});
