import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { CreateDesignSchema, EditDesignSchema, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { api, directoryIs, eventually, type PeerNode, peerStateIs, setCharter, settled, startPeerNode } from "../peers/helpers/peer-nodes.ts";
import { reportMade } from "./design-listing-fixtures.ts";
import { CITIES } from "./directory-fixtures.ts";

/**
 * Design listings between real nodes over loopback (signatures, queues, outbox relay), as projects'
 * listings travel: A publishes designs; B accepts any licence; C's charter accepts only
 * CERN-OHL-S-2.0, so A's MIT lamp never reaches it, and C's log names the rule.
 */

const BOLOGNA = { latitude: 44.4949, longitude: 11.3426 };
let a: PeerNode;
let b: PeerNode;
let c: PeerNode;
let adminA: number;
const logs: LogRecord[] = [];
const entry = { dryer: "", lamp: "" };

interface Item {
  iri: string;
  name: string;
  kind: string;
  design?: { licence: string | null; latestVersion: string | null; madeCount: number; madePlaces: { latitude: number; longitude: number }[] };
}

async function search(node: PeerNode, query: string): Promise<Item[]> {
  const result = await api(node, "GET", `/api/v1/directory?${query}`, undefined, null);
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return result.body.items as Item[];
}

async function createDesign(handle: string, name: string, licence: string): Promise<string> {
  await a.services.designs.create(adminA, CreateDesignSchema.parse({ handle, name, licence }));
  return `${a.origin}/directory/entries/${handle}`;
}

before(async () => {
  await configure({
    reset: true,
    sinks: { memory: (record) => void logs.push(record) },
    loggers: [
      { category: ["commonsnet", "directory"], lowestLevel: "info", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
    ],
  });
  a = await startPeerNode("A");
  b = await startPeerNode("B");
  c = await startPeerNode("C");
  adminA = (await a.database.db.selectFrom("actors").select("id").where("handle", "=", "admina").executeTakeFirstOrThrow()).id;
});
after(async () => {
  for (const node of [a, b, c]) await node?.close();
  await reset();
});

describe(`design listings between nodes on ${ENGINE_LABEL}`, () => {
  test("A lists two designs, released and made; C's charter accepts only CERN-OHL-S-2.0", async () => {
    await setCharter(a, { mode: "open", hopLimit: 1 });
    await setCharter(b, { mode: "open", hopLimit: 1 });
    const cCharter = await api(c, "PUT", "/api/v1/admin/charter", {
      registration: "open",
      federation: { mode: "open", allow: [], block: [] },
      directory: { acceptKinds: ["project", "coop", "design", "facility"], hopLimit: 1 },
      licences: ["cern-ohl-s-2.0"],
      note: "Strongly reciprocal hardware only",
    });
    assert.ok(cCharter.status === 200 || cCharter.status === 201, JSON.stringify(cCharter.body));
    entry.dryer = await createDesign("dryer", "Solar dryer", "CERN-OHL-S-2.0");
    entry.lamp = await createDesign("lamp", "Desk lamp", "MIT");
    await a.services.designs.publishRelease(adminA, "dryer", ReleaseInputSchema.parse({ version: "1.0.0" }), []);
    await reportMade(a, a.database.db, a.config.publicUrl, "dryer", { count: 2, points: [CITIES.lyon, BOLOGNA] });
    await directoryIs(a, [entry.dryer, entry.lamp]);
  });

  test("B and C connect to A and backfill: B holds both designs with licence, version and builds; C only the one its charter accepts", async () => {
    for (const node of [b, c]) {
      const connected = await api(node, "POST", "/api/v1/admin/peers", { url: a.origin });
      assert.equal(connected.status, 201, JSON.stringify(connected.body));
    }
    for (const [x, y] of [[a, b], [b, a], [a, c], [c, a]] as const) await peerStateIs(x, y, "connected");
    for (const node of [a, b, c]) await settled(node);
    await directoryIs(b, [entry.dryer, entry.lamp]);
    await directoryIs(c, [entry.dryer]);

    const dryer = (await search(b, "kind=design&licence=cern-ohl-s-2.0"))[0];
    assert.deepEqual(
      [dryer?.iri, dryer?.kind, dryer?.design],
      [entry.dryer, "design", { licence: "CERN-OHL-S-2.0", latestVersion: "1.0.0", madeCount: 2, madePlaces: [CITIES.lyon, BOLOGNA] }],
    );
    assert.deepEqual((await search(b, "licence=MIT")).map((i) => i.iri), [entry.lamp]);
    assert.deepEqual((await search(b, `made_near=${BOLOGNA.latitude},${BOLOGNA.longitude}&made_radius_km=25`)).map((i) => i.iri), [entry.dryer]);
    assert.deepEqual((await search(b, `made_near=${CITIES.berlin.latitude},${CITIES.berlin.longitude}&made_radius_km=300`)).map((i) => i.iri), []);

    const refusal = logs.find((r) => String(r.properties.iri) === entry.lamp && /licences rule/.test(String(r.properties.refusal ?? "")));
    assert.ok(refusal, "C logged why it refused the lamp");
    assert.match(String(refusal.properties.refusal), /the charter's licences rule does not accept MIT \(it accepts CERN-OHL-S-2.0\)/);
    assert.equal(await c.database.db.selectFrom("directory_entries").select("id").where("iri", "=", entry.lamp).executeTakeFirst(), undefined);
  });

  test("a new release and new builds on A reach its peers' listings", async () => {
    await a.services.designs.publishRelease(adminA, "dryer", ReleaseInputSchema.parse({ version: "1.1.0" }), []);
    await reportMade(a, a.database.db, a.config.publicUrl, "dryer", { count: 3, points: [CITIES.lyon, BOLOGNA, CITIES.berlin] });
    for (const node of [b, c]) {
      await eventually(`${node.label} to show the dryer at 1.1.0, made 3 times`, async () => {
        const [item] = await search(node, "kind=design&licence=CERN-OHL-S-2.0");
        return item?.design?.latestVersion === "1.1.0" && item.design.madeCount === 3 ? true : undefined;
      });
    }
    assert.deepEqual((await search(c, `made_near=${CITIES.berlin.latitude},${CITIES.berlin.longitude}&made_radius_km=10`)).map((i) => i.iri), [entry.dryer]);
  });

  test("when A relicenses the dryer to one C's charter refuses, C refuses the update and drops its copy", async () => {
    await a.services.designs.edit(adminA, "dryer", EditDesignSchema.parse({ licence: "CERN-OHL-W-2.0" }));
    await eventually("B to show the new licence", async () => ((await search(b, "licence=CERN-OHL-W-2.0"))[0]?.iri === entry.dryer ? true : undefined));
    await directoryIs(c, []);
  });

  test("A's own charter decides what it sends: a design under a licence it no longer accepts leaves its peers and its backfill", async () => {
    const charter = await api(a, "PUT", "/api/v1/admin/charter", {
      registration: "open",
      federation: { mode: "open", allow: [], block: [] },
      directory: { acceptKinds: ["project", "coop", "design", "facility"], hopLimit: 1 },
      licences: ["CERN-OHL-W-2.0"],
      note: "Weakly reciprocal hardware only",
    });
    assert.ok(charter.status === 200 || charter.status === 201, JSON.stringify(charter.body));
    await a.services.designs.edit(adminA, "lamp", EditDesignSchema.parse({ name: "Desk lamp, brighter" }));
    await directoryIs(b, [entry.dryer]);
    assert.deepEqual((await search(a, "kind=design")).map((i) => i.iri).sort(), [entry.dryer, entry.lamp].sort(), "A still lists its own lamp");
    const backfill = await a.services.directory.backfillPage({ afterId: 0, limit: 100 });
    assert.deepEqual(backfill.map((e) => e.iri), [entry.dryer]);
    assert.equal(await a.services.directory.backfillCount(), 1);
  });
});
