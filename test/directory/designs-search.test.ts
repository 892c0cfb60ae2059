import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Create, Page, Place, PropertyValue } from "@fedify/vocab";
import { fromDirectoryEntryJson, toDirectoryEntryPage } from "../../federation/translate/directory-entry.ts";
import { findEntryByIri } from "../../server/modules/directory/directory.queries.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { AP } from "../projects/project-fixtures.ts";
import { listDesign, reportMade } from "./design-listing-fixtures.ts";
import { CITIES, insertPeer, receive, remoteDraft } from "./directory-fixtures.ts";

/**
 * Designs in one node's directory: its own (kept in step as the designs module does) and those its
 * peers shared, found by kind, licence and where they were made.
 */

let node: TestNode;
const BOLOGNA = { latitude: 44.4949, longitude: 11.3426 };
const DRYER = "https://city-a.test/directory/entries/solar-dryer";

interface DesignItem {
  iri: string;
  kind: string;
  name: string;
  design?: { licence: string | null; latestVersion: string | null; madeCount: number; madePlaces: { latitude: number; longitude: number }[] };
}

async function search(query: string): Promise<{ total: number; items: DesignItem[] }> {
  return (await node.http.get(`/api/v1/directory?${query}`).expect(200)).body;
}
const names = (r: { items: DesignItem[] }) => r.items.map((i) => i.name).sort();

before(async () => {
  node = await createTestNode();
  const url = node.config.publicUrl;
  await listDesign(node, node.database.db, url, "solar-dryer", { name: "Solar dryer", licence: "CERN-OHL-S-2.0", tags: ["food"] });
  await listDesign(node, node.database.db, url, "bike-trailer", { name: "Bike trailer", licence: "MIT", latestVersion: "0.3.0" });
  const peer = await insertPeer(node.database.db, "bologna.example");
  await receive(
    node.database.db,
    peer,
    remoteDraft("bologna.example", "grain-mill", { kind: "design", name: "Grain mill", licence: "cern-ohl-w-2.0", latestVersion: "2.0.0", madeCount: 3, madePoints: [BOLOGNA, CITIES.berlin] }),
  );
  await receive(node.database.db, peer, remoteDraft("bologna.example", "repair-cafe", { name: "Repair café", location: { name: null, ...BOLOGNA } }));
});
after(async () => {
  await node.close();
});

describe("a local design in the directory", () => {
  test("is listed with kind design and its licence, and shows its latest version once released", async () => {
    const before = await search("kind=design");
    const dryer = before.items.find((i) => i.iri === DRYER)!;
    assert.deepEqual([dryer.kind, dryer.name, dryer.design], ["design", "Solar dryer", { licence: "CERN-OHL-S-2.0", latestVersion: null, madeCount: 0, madePlaces: [] }]);

    await listDesign(node, node.database.db, node.config.publicUrl, "solar-dryer", { name: "Solar dryer", licence: "CERN-OHL-S-2.0", tags: ["food"], latestVersion: "1.2.0" });
    const after = await search("kind=design&licence=CERN-OHL-S-2.0");
    assert.deepEqual(after.items.map((i) => [i.iri, i.design?.latestVersion]), [[DRYER, "1.2.0"]]);
  });

  test("made-here reports add builds and places; a later edit keeps them", async () => {
    await reportMade(node, node.database.db, node.config.publicUrl, "solar-dryer", { count: 2, points: [CITIES.lyon, CITIES.paris] });
    await listDesign(node, node.database.db, node.config.publicUrl, "solar-dryer", { name: "Solar dryer (v1)", licence: "CERN-OHL-S-2.0", latestVersion: "1.2.0" });
    const entry = (await findEntryByIri(node.database.db, DRYER))!;
    assert.deepEqual([entry.name, entry.madeCount, entry.madePoints], ["Solar dryer (v1)", 2, [CITIES.lyon, CITIES.paris]]);
  });

  test("its entry document carries spdx:license, okh:version, cn:madeCount and cn:madePlaces, and reads back", async () => {
    const res = await node.http.get("/directory/entries/solar-dryer").set("Accept", AP).expect(200);
    const doc = JSON.parse(res.text);
    assert.equal(doc["@context"][1].spdx, "http://spdx.org/rdf/terms#");
    assert.equal(doc["@context"][1].okh, "https://w3id.org/oseg/ont/okh#");
    assert.deepEqual(doc["spdx:license"], { "spdx:licenseId": "CERN-OHL-S-2.0" });
    assert.equal(doc["okh:version"], "1.2.0");
    assert.equal(doc.madeCount, 2);
    assert.deepEqual(doc.madePlaces, [{ type: "Place", ...CITIES.lyon }, { type: "Place", ...CITIES.paris }]);
    assert.deepEqual(
      doc.attachment.filter((a: { type: string }) => a.type === "PropertyValue").map((a: { name: string; value: string }) => [a.name, a.value]),
      [["kind", "design"], ["maxHops", "1"], ["licence", "CERN-OHL-S-2.0"], ["version", "1.2.0"], ["madeCount", "2"]],
    );
    const parsed = fromDirectoryEntryJson(doc);
    assert.ok(parsed.success, parsed.success ? "" : parsed.error);
    assert.deepEqual([parsed.draft.kind, parsed.draft.licence, parsed.draft.latestVersion, parsed.draft.madeCount, parsed.draft.madePoints], ["design", "CERN-OHL-S-2.0", "1.2.0", 2, [CITIES.lyon, CITIES.paris]]);
  });

  test("the Page of an activity keeps them through Fedify's vocabulary (PropertyValues and Place attachments)", async () => {
    const entry = (await findEntryByIri(node.database.db, DRYER))!;
    const create = new Create({ id: new URL("https://city-a.test/@node#directory/9"), actor: new URL("https://city-a.test/@node"), object: toDirectoryEntryPage(entry, { tagBase: new URL("https://city-a.test/tags/") }) });
    const relayed = await Create.fromJsonLd(await create.toJsonLd({ format: "compact" }));
    const reparsed = (await relayed.toJsonLd({ format: "compact" })) as { object: unknown };
    const page = await relayed.getObject();
    assert.ok(page instanceof Page);
    const kinds: string[] = [];
    for await (const a of page.getAttachments()) kinds.push(a instanceof Place ? "Place" : a instanceof PropertyValue ? `PropertyValue ${a.name}` : "other");
    assert.deepEqual(kinds, ["PropertyValue kind", "PropertyValue maxHops", "PropertyValue licence", "PropertyValue version", "PropertyValue madeCount", "Place", "Place"]);
    const parsed = fromDirectoryEntryJson(reparsed.object);
    assert.ok(parsed.success, parsed.success ? "" : parsed.error);
    assert.deepEqual([parsed.draft.licence, parsed.draft.latestVersion, parsed.draft.madeCount, parsed.draft.madePoints], ["CERN-OHL-S-2.0", "1.2.0", 2, [CITIES.lyon, CITIES.paris]]);
  });

  test("unlisting the design removes its entry", async () => {
    await listDesign(node, node.database.db, node.config.publicUrl, "bike-trailer", { licence: "MIT", listed: false });
    assert.deepEqual(names(await search("kind=design")), ["Grain mill", "Solar dryer (v1)"]);
    await listDesign(node, node.database.db, node.config.publicUrl, "bike-trailer", { name: "Bike trailer", licence: "MIT", latestVersion: "0.3.0" });
  });
});

describe("searching designs", () => {
  test("kind=design lists designs only, local and received", async () => {
    assert.deepEqual(names(await search("kind=design")), ["Bike trailer", "Grain mill", "Solar dryer (v1)"]);
  });

  test("licence= matches the SPDX id whatever its case, and an id received in another case is stored canonical", async () => {
    assert.deepEqual(names(await search("licence=mit")), ["Bike trailer"]);
    const mill = await search("licence=CERN-OHL-W-2.0");
    assert.deepEqual(mill.items.map((i) => [i.name, i.design?.licence]), [["Grain mill", "CERN-OHL-W-2.0"]]);
    assert.deepEqual(names(await search("licence=Apache-2.0")), []);
  });

  test("made_near with made_radius_km keeps designs made at least once within the distance", async () => {
    const near = (point: { latitude: number; longitude: number }, km: number) => search(`made_near=${point.latitude},${point.longitude}&made_radius_km=${km}`);
    assert.deepEqual(names(await near(CITIES.lyon, 10)), ["Solar dryer (v1)"]);
    // Berlin, where the mill was also made: Paris is 877.5 km away, Lyon 932 km.
    assert.deepEqual(names(await near(CITIES.berlin, 50)), ["Grain mill"]);
    assert.deepEqual(names(await near(CITIES.paris, 400)), ["Solar dryer (v1)"]);
    assert.deepEqual(names(await near(CITIES.paris, 900)), ["Grain mill", "Solar dryer (v1)"]);
    // A project located in Bologna was never "made" there.
    assert.deepEqual(names(await near(BOLOGNA, 5)), ["Grain mill"]);
    assert.deepEqual(names(await search(`kind=design&licence=MIT&made_near=${CITIES.lyon.latitude},${CITIES.lyon.longitude}&made_radius_km=20000`)), []);
  });

  test("bad values are a 4xx naming the parameter", async () => {
    const cases: [string, string, RegExp][] = [
      ["licence=Not-A-Licence", "licence", /SPDX/],
      ["made_near=45.7&made_radius_km=10", "made_near", /latitude,longitude/],
      ["made_near=91,4&made_radius_km=10", "made_near", /latitude from -90 to 90/],
      ["made_near=45.7,4.8&made_radius_km=30000", "made_radius_km", /at most 20040 km/],
      ["made_near=45.7,4.8&made_radius_km=-1", "made_radius_km", /greater than 0/],
      ["made_near=45.7,4.8&made_radius_km=far", "made_radius_km", /distance in km/],
      ["made_near=45.7,4.8", "made_radius_km", /required with made_near/],
      ["made_radius_km=10", "made_near", /required with made_radius_km/],
    ];
    for (const [query, param, message] of cases) {
      const res = await node.http.get(`/api/v1/directory?${query}`);
      assert.ok(res.status >= 400 && res.status < 500, `${query}: ${res.status}`);
      const detail = JSON.stringify(res.body);
      assert.match(detail, new RegExp(param), `${query} names ${param}: ${detail}`);
      assert.match(detail, message, `${query}: ${detail}`);
    }
  });
});

describe("received design listings are validated", () => {
  const doc = (overrides: Record<string, unknown>) => ({
    id: "https://bologna.example/directory/entries/lamp",
    type: "Page",
    name: "Lamp",
    url: "https://bologna.example/@lamp",
    attributedTo: "https://bologna.example/@node",
    updated: "2026-11-01T00:00:00Z",
    kind: "design",
    ...overrides,
  });
  const places = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "Place", latitude: 45 + i / 1000, longitude: 4 }));

  test("a well-formed listing parses; places within the cap are kept", () => {
    const parsed = fromDirectoryEntryJson(doc({ "spdx:license": { "spdx:licenseId": "mit" }, "okh:version": "1.0", madeCount: 500, madePlaces: places(500) }));
    assert.ok(parsed.success, parsed.success ? "" : parsed.error);
    assert.deepEqual([parsed.draft.licence, parsed.draft.latestVersion, parsed.draft.madeCount, parsed.draft.madePoints.length], ["MIT", "1.0", 500, 500]);
  });

  test("an unknown licence, more than 500 places, a place off the globe, a negative or absurd count, or places beyond the count are refused by name", () => {
    const refused: [Record<string, unknown>, RegExp][] = [
      [{ "spdx:license": { "spdx:licenseId": "Free-For-All" } }, /licence: .*not an SPDX licence identifier/],
      [{ madeCount: 501, madePlaces: places(501) }, /madePoints: must have at most 500 places/],
      [{ madeCount: 1, madePlaces: [{ type: "Place", latitude: 95, longitude: 4 }] }, /madePoints\.0\.latitude: must be between -90 and 90/],
      [{ madeCount: 1, madePlaces: [{ type: "Place", name: "somewhere" }] }, /madePoints\.0\.latitude/],
      [{ madeCount: -2 }, /madeCount/],
      [{ madeCount: 10_000_001 }, /madeCount: must be at most 10000000/],
      [{ madeCount: 1, madePlaces: places(2) }, /madePoints: must not have more places than madeCount/],
      [{ "okh:version": "x".repeat(101) }, /latestVersion: must be at most 100 characters/],
    ];
    for (const [overrides, message] of refused) {
      const parsed = fromDirectoryEntryJson(doc(overrides));
      assert.equal(parsed.success, false, JSON.stringify(overrides).slice(0, 80));
      if (!parsed.success) assert.match(parsed.error, message);
    }
  });
});

describe("other kinds", () => {
  test("a project listing ignores design fields and Place attachments a sender adds", () => {
    const parsed = fromDirectoryEntryJson({
      id: "https://bologna.example/directory/entries/garden",
      type: "Page",
      name: "Garden",
      url: "https://bologna.example/@garden",
      attributedTo: "https://bologna.example/@node",
      updated: "2026-11-01T00:00:00Z",
      attachment: [
        { type: "PropertyValue", name: "kind", value: "project" },
        { type: "PropertyValue", name: "licence", value: "MIT" },
        { type: "Place", latitude: 44.5, longitude: 11.3 },
      ],
    });
    assert.ok(parsed.success, parsed.success ? "" : parsed.error);
    assert.deepEqual([parsed.draft.kind, parsed.draft.licence, parsed.draft.madeCount, parsed.draft.madePoints], ["project", null, 0, []]);
  });
});
