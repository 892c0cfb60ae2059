import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, createProject } from "../projects/project-fixtures.ts";
import { reviseCharterForTest } from "../directory/charter-visibility-helpers.ts";
import { insertPeer, receive, remoteDraft } from "../directory/directory-fixtures.ts";

/**
 * Issue 9, finding 4, in the directory: listings received before a block must disappear under the
 * block whatever port or subdomain their origin used, and an entry stored in the charter in another
 * spelling (upper case, a root dot, a port: versions saved before hosts were normalised) still
 * applies. The directory filters in SQL, so this checks that query on both engines.
 */
let node: TestNode;
before(async () => {
  node = await createTestNode();
  const alice = await createMember(node, "alice");
  await createProject(node, alice, { handle: "bike-kitchen", name: "Bike Kitchen", summary: "Repairs", tags: ["repair"] });
  for (const [host, name] of [
    ["hub.spam.example:8443", "Spam hub"],
    ["spam.example", "Spam apex"],
    ["notspam.example", "Not spam"],
    ["mirror.example:8080", "Mirror"],
    ["oslo.example:8443", "Oslo"],
  ] as const) {
    const peer = await insertPeer(node.database.db, host);
    await receive(node.database.db, peer, remoteDraft(host, name.toLowerCase().replace(/ /g, "-"), { name, tags: ["repair"] }));
  }
});
after(async () => await node.close());

async function names(): Promise<string[]> {
  const res = await node.http.get("/api/v1/directory?tags=repair").expect(200);
  return (res.body.items as { name: string }[]).map((i) => i.name).sort();
}

describe(`the directory under blocks written in any spelling on ${ENGINE_LABEL}`, () => {
  test("a block of a domain hides its subdomains' listings on any port, not a host that merely ends alike", async () => {
    await reviseCharterForTest(node, { federation: { mode: "blocklist", allow: [], block: ["spam.example"] } });
    assert.deepEqual(await names(), ["Bike Kitchen", "Mirror", "Not spam", "Oslo"]);
  });

  test("a stored entry with capitals, a root dot and another port still hides the host", async () => {
    await reviseCharterForTest(node, { federation: { mode: "blocklist", allow: [], block: ["Mirror.Example.:9999"] } });
    assert.deepEqual(await names(), ["Bike Kitchen", "Not spam", "Oslo", "Spam apex", "Spam hub"]);
  });

  test("an allowlist entry admits its host on any port, but not its subdomains", async () => {
    await reviseCharterForTest(node, { federation: { mode: "allowlist", allow: ["oslo.example", "example"], block: [] } });
    assert.deepEqual(await names(), ["Bike Kitchen", "Oslo"]);
  });
});
