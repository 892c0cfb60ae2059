import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DomainError } from "../../server/platform/errors.ts";
import { CreateDesignSchema, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, outboxRows, type TestMember } from "../projects/project-fixtures.ts";
import { createDesign, publish, sha256Of, storedFile } from "./design-fixtures.ts";

let node: TestNode;
let alice: TestMember;
let bob: TestMember;

before(async () => {
  node = await createTestNode();
  alice = await createMember(node, "alice");
  bob = await createMember(node, "bob");
});
after(async () => {
  await node.close();
});

const kindOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    return `${error.kind}: ${error.message}`;
  }
  return "no error";
};

describe("designs service", () => {
  test("creates a design as a service actor with its creator as maintainer", async () => {
    const design = await createDesign(node, alice, { handle: "solar-dryer", summary: "A **passive** dryer", function: "Dries food", tags: ["solar"], licensor: "Atelier Soleil" });
    assert.equal(design.handle, "solar-dryer");
    assert.equal(design.licence, "CERN-OHL-S-2.0");
    assert.equal(design.iri, "https://city-a.test/@solar-dryer");
    assert.match(design.summaryHtml, /<strong>passive<\/strong>/);
    assert.equal((await node.services.actors.byHandle("solar-dryer"))?.kind, "service");
    assert.deepEqual((await node.services.designs.maintainers(design)).map((m) => m.handle), ["alice"]);
  });

  test("an unknown licence is refused, naming it", () => {
    const result = CreateDesignSchema.safeParse({ handle: "x", name: "X", licence: "Not-A-Licence" });
    assert.equal(result.success, false);
    assert.match(JSON.stringify(result.error?.issues), /Not-A-Licence/);
  });

  test("a taken handle is a conflict, an unknown project a 422", async () => {
    assert.match(await kindOf(createDesign(node, alice, { handle: "alice" })), /^conflict: handle: @alice is already taken/);
    assert.match(await kindOf(createDesign(node, alice, { handle: "orphan", project: "no-such-project" })), /^invalid_input: project: there is no project @no-such-project/);
    assert.equal(await node.services.designs.find("orphan"), undefined, "nothing half-stored");
  });

  test("bad versions are refused", () => {
    for (const version of ["1.0/../2", "1 0", "1\u00000", "v".repeat(65), "", "-1"]) {
      assert.equal(ReleaseInputSchema.safeParse({ version }).success, false, JSON.stringify(version));
    }
  });

  test("publishes a release with its files, a Note to followers, and refuses the same version twice", async () => {
    const before = (await outboxRows(node)).at(-1)?.id ?? 0;
    const release = await publish(node, alice, "solar-dryer", { version: "1.0.0", notes: "First *release*", trl: "otrl-4", bom: [{ part: "Plywood", quantity: 2, unit: "sheet" }] }, [
      storedFile("frame.step", "solid", { mediaType: "model/step", role: "export" }),
      storedFile("photo.png", "png", { mediaType: "image/png", role: "image", preview: { sha256: sha256Of("preview"), width: 320, height: 240 } }),
    ]);
    assert.equal(release.version, "1.0.0");
    assert.equal(release.trl, "OTRL-4");
    assert.equal(release.totalBytes, 8);
    assert.equal(release.iri, "https://city-a.test/@solar-dryer/releases/1.0.0");
    assert.equal(release.files[0]!.url, "https://city-a.test/@solar-dryer/releases/1.0.0/files/frame.step");
    assert.deepEqual(release.bom, [{ part: "Plywood", quantity: 2, unit: "sheet", material: null, source: null, link: null }]);
    assert.equal(await node.services.designs.isBlobReferenced(sha256Of("preview")), true);
    assert.equal(await node.services.designs.isBlobReferenced(sha256Of("nothing")), false);

    const rows = await outboxRows(node, before);
    assert.deepEqual(rows.map((r) => [r.sender, r.activity.type]), [["solar-dryer", "Create"], ["solar-dryer", "Update"]], "no peers yet: the followers' Note, and the actor's new current release");
    const create = rows[0]!.activity as Record<string, any>;
    assert.equal((rows[1]!.activity as Record<string, any>).object.currentRelease, "https://city-a.test/@solar-dryer/releases/1.0.0");
    assert.equal(create.type, "Create");
    assert.equal(create.object.type, "Note");
    assert.match(create.object.content, /Solar dryer 1\.0\.0 released/);
    assert.deepEqual(create.object.attachment.map((a: any) => [a.type, a.mediaType, a.url, a.name]), [
      ["Document", "image/webp", "https://city-a.test/@solar-dryer/releases/1.0.0/files/photo.png/preview", "photo.png"],
    ]);

    assert.equal(await kindOf(publish(node, alice, "solar-dryer", { version: "1.0.0" })), "conflict: version 1.0.0 already exists; a correction is a new version.");
  });

  test("only maintainers publish or edit (403), unknown designs are 404", async () => {
    assert.match(await kindOf(publish(node, bob, "solar-dryer", { version: "2.0.0" })), /^forbidden/);
    assert.match(await kindOf(node.services.designs.edit(bob.actorId, "solar-dryer", { name: "Mine" })), /^forbidden/);
    assert.match(await kindOf(publish(node, alice, "nothing-here", { version: "2.0.0" })), /^not_found/);
    assert.match(await kindOf(node.services.designs.release("solar-dryer", "9.9.9")), /^not_found/);
    await node.services.designs.addMaintainer(alice.actorId, "solar-dryer", { handle: "bob" });
    await publish(node, bob, "solar-dryer", { version: "1.10.0" });
  });

  test("releases are listed newest version first", async () => {
    const before = (await outboxRows(node)).at(-1)?.id ?? 0;
    await publish(node, alice, "solar-dryer", { version: "1.9.0" });
    await publish(node, alice, "solar-dryer", { version: "1.10.0-rc.1" });
    assert.deepEqual((await outboxRows(node, before)).map((r) => r.activity.type), ["Create", "Create"], "older versions leave the current release as it is: no Update");
    assert.deepEqual((await node.services.designs.releases("solar-dryer")).map((r) => r.version), ["1.10.0", "1.10.0-rc.1", "1.9.0", "1.0.0"]);
    const design = await node.services.designs.require("solar-dryer");
    assert.equal((await node.services.designs.latestReleases([design])).get(design.actorId)?.version, "1.10.0", "the database orders keys byte by byte too");
    const found = await node.services.designs.releaseByIri("https://city-a.test/@solar-dryer/releases/1.9.0");
    assert.equal(found?.release.version, "1.9.0");
    assert.equal(found?.design.handle, "solar-dryer");
    assert.equal(await node.services.designs.releaseByIri("https://elsewhere.test/@solar-dryer/releases/1.9.0"), undefined);
    for (const other of ["https://city-a.test/@Solar-Dryer/releases/1.9.0", "https://city-a.test/@solar-dryer/releases/1.9.0?x", "https://city-a.test/@solar-dryer/releases/1.9.0/files/a", "https://city-a.test/@solar-dryer/releases/9.9.9"]) {
      assert.equal(await node.services.designs.releaseByIri(other), undefined, other);
    }
  });

  test("a fork keeps where it came from, and a fork of a share-alike design keeps its licence", async () => {
    const origin = { release: "https://city-b.test/@dryer/releases/2.0.0", design: "https://city-b.test/@dryer", name: "Dryer", host: "city-b.test", licence: "CERN-OHL-S-2.0" };
    const fork = await node.services.designs.create(alice.actorId, CreateDesignSchema.parse({ handle: "dryer-humid", name: "Dryer, humid climates", licence: "CERN-OHL-S-2.0" }), {
      forkOf: origin.release,
      forkChain: [origin],
    });
    assert.equal(fork.forkOf, origin.release);
    assert.deepEqual(fork.forkChain, [origin]);
    assert.equal(
      await kindOf(node.services.designs.edit(alice.actorId, "dryer-humid", { licence: "MIT" })),
      "invalid_input: licence: this design is a fork of “Dryer” under CERN-OHL-S-2.0, a share-alike licence: its forks keep CERN-OHL-S-2.0.",
    );
    const release = await publish(node, alice, "dryer-humid", { version: "1.0.0" });
    assert.equal(release.licence, "CERN-OHL-S-2.0");
    const forked = await node.services.designs.publishRelease(alice.actorId, "dryer-humid", ReleaseInputSchema.parse({ version: "1.0.1" }), [], { forkOf: origin.release });
    assert.equal(forked.forkOf, origin.release);
  });

  test("duplicate file names in one release are refused before anything is stored", async () => {
    const twice = [storedFile("a.txt", "one"), storedFile("a.txt", "two")];
    assert.match(await kindOf(publish(node, alice, "solar-dryer", { version: "3.0.0" }, twice)), /^invalid_input: files\.1: “a\.txt” is given twice/);
    assert.match(await kindOf(node.services.designs.release("solar-dryer", "3.0.0")), /^not_found/);
  });
});
