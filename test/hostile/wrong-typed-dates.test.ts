import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type SigningPeer } from "../inbox/helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice"]);
  await createMember(node, "maria");
});
after(async () => {
  await peer.close();
  await node.close();
});

let n = 0;
/** A signed Create of a Note to maria's inbox, with `change` applied to the Note or the activity. */
async function deliverCreate(change: { context?: unknown; activity?: Record<string, unknown>; note?: Record<string, unknown> }) {
  const alice = peer.actors.alice!;
  const note = { id: `${alice.id}/notes/${++n}`, type: "Note", attributedTo: alice.id, content: "<p>hello</p>", to: [`${AS}#Public`], ...change.note };
  const create = { "@context": change.context ?? AS, id: `${alice.id}/creates/${n}`, type: "Create", actor: alice.id, object: note, ...change.activity };
  return await deliver(node, await peer.signedPost(`${node.config.publicUrl.origin}/@maria/inbox`, create, alice));
}

describe(`a signed activity whose dates are not text, on ${ENGINE_LABEL}`, () => {
  test("a number, a boolean or an object as published, updated or duration is a 400 naming the property", async () => {
    for (const [where, name, value] of [["note", "published", 0], ["activity", "updated", true], ["note", "duration", { "@value": 5 }], ["note", "startTime", 1.5]] as const) {
      const res = await deliverCreate({ [where]: { [name]: value } });
      assert.equal(res.status, 400, `${where}.${name} = ${JSON.stringify(value)}: ${res.text.slice(0, 200)}`);
      assert.match(JSON.parse(res.text).message, new RegExp(`property ${name} must be an ISO 8601`));
    }
  });

  test("the same under a term the activity's inline context renames is a 400 too, not a 500", async () => {
    const context = [AS, { when: "as:published", lasts: "as:duration" }];
    for (const note of [{ when: 0 }, { lasts: true }]) {
      const res = await deliverCreate({ context, note });
      assert.equal(res.status, 400, `${JSON.stringify(note)}: ${res.text.slice(0, 200)}`);
      assert.match(JSON.parse(res.text).message, /value of the wrong type/);
    }
  });

  test("dates written as text, expanded or renamed, still pass", async () => {
    assert.equal((await deliverCreate({ note: { published: "2026-12-01T10:00:00Z", updated: { "@value": "2026-12-01T11:00:00Z" } } })).status, 202);
    assert.equal((await deliverCreate({ context: [AS, { when: "as:published" }], note: { when: "2026-12-01T10:00:00Z" } })).status, 202);
  });
});
