import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { registerMember } from "../../server/modules/accounts/registration.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";

/**
 * Issue 9, finding 9: whether a handle belongs to someone waiting for approval must not show from
 * outside. An anonymous visitor (or a peer) asks for the pending member's collections and for those
 * of a handle nobody has; the answers must be the same, status and body, in every format asked for.
 */
let node: TestNode;

before(async () => {
  node = await createTestNode({ REGISTRATION: "approval" });
  const pending = await registerMember(node.database.db, node.deps.box, "approval", { username: "waiting", password: "correct horse battery" }, null);
  assert.ok(pending.ok && pending.profile.status === "pending", "a pending member to probe for");
  const active = await registerMember(node.database.db, node.deps.box, "open", { username: "present", password: "correct horse battery" }, null);
  assert.ok(active.ok && active.profile.status === "active");
});
after(async () => await node.close());

const ACCEPTS = ["application/activity+json", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "text/html"];

async function probe(path: string, accept: string) {
  const res = await node.http.get(path).set("Accept", accept);
  return { status: res.status, type: String(res.headers["content-type"] ?? ""), body: res.text };
}

describe(`a pending member's collections on ${ENGINE_LABEL}`, () => {
  for (const collection of ["outbox", "followers", "featured"]) {
    test(`/@waiting/${collection} answers exactly as /@nobody/${collection}`, async () => {
      for (const accept of ACCEPTS) {
        const pending = await probe(`/@waiting/${collection}`, accept);
        const missing = await probe(`/@nobody/${collection}`, accept);
        assert.equal(pending.status, 404, `${accept}: ${pending.body.slice(0, 200)}`);
        assert.deepEqual({ ...pending, body: pending.body.replaceAll("waiting", "nobody") }, missing, accept);
      }
    });
  }

  test("an active member's collections are served (the probe above tells something apart)", async () => {
    for (const collection of ["outbox", "followers", "featured"]) {
      const res = await probe(`/@present/${collection}`, "application/activity+json");
      assert.equal(res.status, 200, `${collection}: ${res.body.slice(0, 200)}`);
      assert.equal(JSON.parse(res.body).totalItems, 0);
    }
  });
});
