import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { reviseCharterForTest } from "./charter-visibility-helpers.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, createProject } from "../projects/project-fixtures.ts";
import { insertPeer, receive, remoteDraft } from "./directory-fixtures.ts";

// The charter decides what the directory shows, not only what it accepts: entries already received
// from a host that is blocked later disappear from search at once, and come back when unblocked.
let node: TestNode;
before(async () => {
  node = await createTestNode();
  const alice = await createMember(node, "alice");
  await createProject(node, alice, { handle: "bike-kitchen", name: "Bike Kitchen", summary: "Repairs", tags: ["repair"] });
  const berlin = await insertPeer(node.database.db, "berlin.example");
  await receive(node.database.db, berlin, remoteDraft("berlin.example", "repair-cafe", { name: "Repair Cafe Berlin", tags: ["repair"] }));
  const oslo = await insertPeer(node.database.db, "oslo.example");
  await receive(node.database.db, oslo, remoteDraft("oslo.example", "fixit", { name: "Fixit Oslo", tags: ["repair"] }));
});
after(async () => {
  await node.close();
});

async function namesFor(query: string): Promise<string[]> {
  const res = await node.http.get(`/api/v1/directory?${query}`).expect(200);
  return (res.body.items as { name: string }[]).map((i) => i.name).sort();
}

test("blocking a host hides its entries at once; allowlist mode shows only listed hosts and local entries", async () => {
  assert.deepEqual(await namesFor("tags=repair"), ["Bike Kitchen", "Fixit Oslo", "Repair Cafe Berlin"]);
  await reviseCharterForTest(node, { federation: { mode: "blocklist", allow: [], block: ["berlin.example"] } });
  assert.deepEqual(await namesFor("tags=repair"), ["Bike Kitchen", "Fixit Oslo"]);
  await reviseCharterForTest(node, { federation: { mode: "allowlist", allow: ["oslo.example"], block: [] } });
  assert.deepEqual(await namesFor("tags=repair"), ["Bike Kitchen", "Fixit Oslo"]);
  await reviseCharterForTest(node, { federation: { mode: "open", allow: [], block: [] } });
  assert.deepEqual(await namesFor("tags=repair"), ["Bike Kitchen", "Fixit Oslo", "Repair Cafe Berlin"]);
});
