import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EditDesignSchema } from "../../server/modules/designs/index.ts";
import { findEntryByIri } from "../../server/modules/directory/directory.queries.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createDesign, publish } from "../designs/design-fixtures.ts";
import { createMember, createProject, type TestMember } from "../projects/project-fixtures.ts";
import { reportMade } from "./design-listing-fixtures.ts";
import { CITIES } from "./directory-fixtures.ts";

/**
 * The designs service keeps each design's directory entry in step, in its own transactions: created,
 * edited, released, unlisted. What the directory API then shows is what a visitor sees.
 */

let node: TestNode;
let marc: TestMember;
const ENTRY = "https://city-a.test/directory/entries/solar-dryer";

async function designItem(handle: string) {
  const res = await node.http.get("/api/v1/directory?kind=design&page_size=100").expect(200);
  return (res.body.items as { iri: string; kind: string; name: string; url: string; location: { locality: string | null; latitude: number | null }; design: unknown }[]).find(
    (i) => i.iri === `https://city-a.test/directory/entries/${handle}`,
  );
}

before(async () => {
  node = await createTestNode();
  marc = await createMember(node, "marc");
  await createProject(node, marc, { handle: "atelier", name: "Atelier Soleil", location: { name: "Croix-Rousse", ...CITIES.lyon, locality: "Lyon", country: "FR" } });
});
after(async () => {
  await node.close();
});

describe("a local design's directory entry", () => {
  test("a new design is listed at once: kind design, its licence, no version yet, never made", async () => {
    await createDesign(node, marc, { handle: "solar-dryer", name: "Solar dryer", summary: "Dries **fruit** with sunlight.", tags: ["food"], licence: "cern-ohl-s-2.0" });
    const item = await designItem("solar-dryer");
    assert.deepEqual(
      [item?.kind, item?.name, item?.url, item?.design],
      ["design", "Solar dryer", "https://city-a.test/@solar-dryer", { licence: "CERN-OHL-S-2.0", latestVersion: null, madeCount: 0, madePlaces: [] }],
    );
    const entry = (await findEntryByIri(node.database.db, ENTRY))!;
    assert.deepEqual([entry.summary, entry.tags, entry.location], ["Dries fruit with sunlight.", ["food"], null]);
  });

  test("each release updates its latest version, in SemVer-like order (1.10.0 after 1.2.0)", async () => {
    await publish(node, marc, "solar-dryer", { version: "1.2.0" });
    assert.equal(((await designItem("solar-dryer"))?.design as { latestVersion: string }).latestVersion, "1.2.0");
    await publish(node, marc, "solar-dryer", { version: "1.10.0" });
    await publish(node, marc, "solar-dryer", { version: "1.3.0-beta.1" });
    assert.equal(((await designItem("solar-dryer"))?.design as { latestVersion: string }).latestVersion, "1.10.0");
  });

  test("builds reported stay through later releases and edits", async () => {
    await reportMade(node, node.database.db, node.config.publicUrl, "solar-dryer", { count: 3, points: [CITIES.lyon, CITIES.berlin] });
    await publish(node, marc, "solar-dryer", { version: "2.0.0" });
    await node.services.designs.edit(marc.actorId, "solar-dryer", EditDesignSchema.parse({ name: "Solar food dryer" }));
    const entry = (await findEntryByIri(node.database.db, ENTRY))!;
    assert.deepEqual([entry.name, entry.latestVersion, entry.madeCount, entry.madePoints], ["Solar food dryer", "2.0.0", 3, [CITIES.lyon, CITIES.berlin]]);
  });

  test("a licence change shows, linking a project gives the design its place, unlisting removes the entry", async () => {
    await node.services.designs.edit(marc.actorId, "solar-dryer", EditDesignSchema.parse({ licence: "CERN-OHL-W-2.0", project: "atelier" }));
    const item = await designItem("solar-dryer");
    assert.equal((item?.design as { licence: string }).licence, "CERN-OHL-W-2.0");
    assert.deepEqual([item?.location.locality, item?.location.latitude], ["Lyon", CITIES.lyon.latitude]);

    await node.services.designs.edit(marc.actorId, "solar-dryer", EditDesignSchema.parse({ listed: false }));
    assert.equal(await designItem("solar-dryer"), undefined);
    assert.equal(await findEntryByIri(node.database.db, ENTRY), undefined);
    await node.services.designs.edit(marc.actorId, "solar-dryer", EditDesignSchema.parse({ listed: true }));
    assert.equal(((await designItem("solar-dryer"))?.design as { latestVersion: string }).latestVersion, "2.0.0");
  });

  test("a design created unlisted has no entry", async () => {
    await createDesign(node, marc, { handle: "secret-lamp", name: "Lamp", licence: "MIT", listed: false });
    assert.equal(await designItem("secret-lamp"), undefined);
  });
});
