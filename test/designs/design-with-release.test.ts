import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createSecretBox } from "../../server/platform/secret-box.ts";
import { createDesignsService, CreateDesignSchema, type DesignsService, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, type TestMember } from "../projects/project-fixtures.ts";
import { storedFile } from "./design-fixtures.ts";

// Forks and imported manifests create a design with its first release: both commit, or neither does.
let node: TestNode;
let alice: TestMember;

before(async () => {
  node = await createTestNode();
  alice = await createMember(node, "alice");
});
after(async () => {
  await node.close();
});

const designInput = (handle: string) => CreateDesignSchema.parse({ handle, name: "Solar dryer", licence: "CERN-OHL-S-2.0" });
const releaseInput = ReleaseInputSchema.parse({ version: "2.1.0", notes: "Stronger frame" });
const fork = { forkOf: "https://city-b.test/@dryer/releases/2.1.0", forkChain: [{ release: "https://city-b.test/@dryer/releases/2.1.0", design: "https://city-b.test/@dryer", name: "Dryer", host: "city-b.test", licence: "CERN-OHL-S-2.0" }] };

describe("a design with its first release", () => {
  test("stores both, the release pointing at its origin, and announces the release", async () => {
    const { design, release } = await node.services.designs.createWithFirstRelease(alice.actorId, designInput("dryer-fork"), fork, releaseInput, [storedFile("frame.step", "ISO-10303-21;")]);
    assert.equal(design.forkOf, fork.forkOf);
    assert.deepEqual(design.forkChain.map((link) => link.host), ["city-b.test"]);
    assert.equal(release.version, "2.1.0");
    assert.equal(release.forkOf, fork.forkOf);
    assert.deepEqual(release.files.map((f) => f.name), ["frame.step"]);
    assert.deepEqual((await node.services.designs.releases("dryer-fork")).map((r) => r.version), ["2.1.0"]);
    const outbox = await node.database.db.selectFrom("outbox").select("activity").execute();
    assert.ok(outbox.some((row) => (row.activity as { object?: { type?: unknown } }).object?.type === "Note"), "the followers' Note is queued");
  });

  test("when the release cannot be stored, the design is not stored either", async () => {
    const failing: DesignsService = createDesignsService({
      db: node.database.db,
      box: createSecretBox("test-node-secret-0123456789abcdefghij"),
      publicUrl: node.config.publicUrl,
      publisher: {
        profileUpdated: async () => {
          throw new Error("not reached");
        },
        // The outbox port fails inside the transaction, after the design's rows were written.
        released: async () => {
          throw new Error("the outbox port failed");
        },
      },
    });
    await assert.rejects(failing.createWithFirstRelease(alice.actorId, designInput("half-stored"), fork, releaseInput, []), /the outbox port failed/);
    assert.equal(await node.services.designs.find("half-stored"), undefined);
    assert.equal(await node.services.actors.byHandle("half-stored"), undefined, "the handle stays free");
  });

  test("a taken handle stores nothing", async () => {
    await assert.rejects(node.services.designs.createWithFirstRelease(alice.actorId, designInput("alice"), undefined, releaseInput, []), /already taken/);
    assert.equal((await node.services.designs.list(100)).some((d) => d.handle === "alice"), false);
  });
});
