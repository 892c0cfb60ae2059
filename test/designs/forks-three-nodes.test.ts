import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { CreateDesignSchema, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { eventually } from "../federation/listening-node.ts";
import { api } from "../peers/helpers/peer-nodes.ts";
import { asMember, type ForkNode, putBlob, setForkCharter, startForkNode, storedBlobs } from "./helpers/fork-nodes.ts";

/**
 * Forks across three real nodes (signatures, queues, outbox relay over loopback): a design published
 * on A (Lyon), forked on B (Bologna), whose fork is forked again on C (Ghent). A and B learn of the
 * forks made of their designs, check each claim at its origin, and show the tree with hosts and
 * licences; A knows its peers' cities from its directory. D (Oslo) has charters that refuse.
 */

let a: ForkNode;
let b: ForkNode;
let c: ForkNode;
let d: ForkNode;
const frame = Buffer.from("ISO-10303-21; frame of the solar dryer\n".repeat(200));
const bomCsv = Buffer.from("part,quantity,unit\nplywood 12 mm,2,sheet\npolycarbonate,1,m2\n");
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const AP = { Accept: "application/activity+json" };
/** Deliveries cross three queues and two relays: generous, for a loaded machine (no wall-clock assertion). */
const WAIT_MS = 60_000;

before(async () => {
  a = await startForkNode("A", "127.0.0.40");
  b = await startForkNode("B", "127.0.0.41");
  c = await startForkNode("C", "127.0.0.42");
  d = await startForkNode("D", "127.0.0.43");
});
after(async () => {
  for (const node of [a, b, c, d]) await node?.close();
});

async function publishOnA(handle: string, licence: string): Promise<string> {
  await a.services.designs.create(a.member.actorId, CreateDesignSchema.parse({
    handle,
    name: `Solar dryer (${handle})`,
    summary: "A passive solar food dryer, plywood and polycarbonate.",
    function: "Dries fruit and vegetables with sunlight.",
    tags: ["solar", "food"],
    licence,
    documentationLicence: "CC-BY-SA-4.0",
    licensor: "Atelier Soleil",
  }));
  const files = [];
  for (const [name, bytes, mediaType, role] of [["frame.step", frame, "model/step", "export"], ["bom.csv", bomCsv, "text/csv", "bom"]] as const) {
    const blob = await putBlob(a, bytes);
    files.push({ name, sha256: blob.sha256, size: blob.size, mediaType, role, preview: null });
  }
  const release = await a.services.designs.publishRelease(
    a.member.actorId,
    handle,
    ReleaseInputSchema.parse({ version: "1.0.0", notes: "First release: a **stronger** frame.", trl: "OTRL-4", drl: "ODRL-3", bom: [{ part: "Plywood 12 mm", quantity: 2, unit: "sheet", material: "birch" }] }),
    files,
  );
  return release.iri;
}

async function createListedProject(node: ForkNode, handle: string, place: { city: string; country: string; latitude: number; longitude: number }): Promise<void> {
  const { city, country, latitude, longitude } = place;
  const result = await api(node, "POST", "/api/v1/projects", { handle, name: `${city} makers`, summary: "Makers.", tags: [], location: { name: city, latitude, longitude, locality: city, country } });
  assert.equal(result.status, 201, JSON.stringify(result.body));
}

async function treeOf(node: ForkNode, handle: string) {
  const res = await api(node, "GET", `/api/v1/designs/${handle}/forks`, undefined, null);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function forkRows(node: ForkNode) {
  return await node.database.db.selectFrom("design_forks").selectAll().orderBy("id").execute();
}

describe(`designs forked across nodes on ${ENGINE_LABEL}`, () => {
  let dryerRelease = "";
  let bFork = "";
  let cFork = "";

  test("A publishes a design; A peers with B and C, whose cities its directory learns", async () => {
    await createListedProject(b, "bmakers", { city: "Bologna", country: "IT", latitude: 44.4949, longitude: 11.3426 });
    await createListedProject(c, "cmakers", { city: "Ghent", country: "BE", latitude: 51.0543, longitude: 3.7174 });
    for (const other of [b, c]) {
      const res = await api(a, "POST", "/api/v1/admin/peers", { url: other.origin });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    await eventually("A's directory to list B and C", async () => {
      const res = await api(a, "GET", "/api/v1/directory?page_size=100", undefined, null);
      const hosts = new Set((res.body.items as { originHost?: string; iri: string }[]).map((i) => new URL(i.iri).host));
      return hosts.has(b.host) && hosts.has(c.host) ? true : undefined;
    }, WAIT_MS);
    dryerRelease = await publishOnA("dryer", "CERN-OHL-S-2.0");
    assert.equal(dryerRelease, `${a.origin}/@dryer/releases/1.0.0`);
  });

  test("B forks A's release by its URL: files copied and verified, chain back to A, A lists the fork with B's city", async () => {
    const res = await asMember(b, "POST", "/api/v1/designs/forks", { source: dryerRelease, handle: "dryer-humid", name: "Solar dryer, humid climate" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    bFork = `${b.origin}/@dryer-humid`;
    assert.deepEqual([res.body.handle, res.body.iri, res.body.licence, res.body.forkOf], ["dryer-humid", bFork, "CERN-OHL-S-2.0", dryerRelease]);
    assert.deepEqual(res.body.forkChain, [{ release: dryerRelease, design: `${a.origin}/@dryer`, name: "Solar dryer (dryer)", host: a.host, licence: "CERN-OHL-S-2.0" }]);

    const release = await b.services.designs.release("dryer-humid", "1.0.0");
    assert.equal(release.forkOf, dryerRelease);
    assert.deepEqual(release.files.map((f) => [f.name, f.sha256, f.size]), [["frame.step", sha(frame), frame.length], ["bom.csv", sha(bomCsv), bomCsv.length]]);
    assert.deepEqual(release.bom.map((l) => [l.part, l.quantity, l.unit]), [["Plywood 12 mm", 2, "sheet"]]);
    assert.deepEqual(await storedBlobs(b), [sha(frame), sha(bomCsv)].sort());

    const tree = await eventually("A to list B's fork", async () => {
      const t = await treeOf(a, "dryer");
      return t.forks.length === 1 ? t : undefined;
    }, WAIT_MS);
    assert.deepEqual(tree.origin, { iri: `${a.origin}/@dryer`, name: "Solar dryer (dryer)", host: a.host, licence: "CERN-OHL-S-2.0" });
    const [fork] = tree.forks;
    assert.deepEqual([fork.iri, fork.name, fork.host, fork.city, fork.licence, fork.depth, fork.forkOf], [bFork, "Solar dryer, humid climate", b.host, "Bologna", "CERN-OHL-S-2.0", 1, dryerRelease]);
  });

  test("C forks B's fork: C's design carries the chain A → B; A shows C under B, B shows C as its own fork", async () => {
    const res = await asMember(c, "POST", "/api/v1/designs/forks", { source: `${bFork}/releases/1.0.0`, handle: "dryer-flemish" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    cFork = `${c.origin}/@dryer-flemish`;
    assert.equal(res.body.name, "Solar dryer, humid climate", "the source's name when none is given");
    assert.deepEqual(res.body.forkChain.map((l: { design: string; host: string }) => [l.design, l.host]), [[`${a.origin}/@dryer`, a.host], [bFork, b.host]]);

    const tree = await eventually("A to list C under B", async () => {
      const t = await treeOf(a, "dryer");
      return t.forks[0]?.children.length === 1 ? t : undefined;
    }, WAIT_MS);
    assert.deepEqual(tree.forks.map((f: any) => [f.iri, f.depth, f.children.map((g: any) => [g.iri, g.host, g.city, g.licence, g.depth])]), [
      [bFork, 1, [[cFork, c.host, "Ghent", "CERN-OHL-S-2.0", 2]]],
    ]);
    const bTree = await eventually("B to list C", async () => {
      const t = await treeOf(b, "dryer-humid");
      return t.forks.length === 1 ? t : undefined;
    }, WAIT_MS);
    assert.deepEqual(bTree.origin.iri, `${a.origin}/@dryer`);
    assert.deepEqual(bTree.chain.map((l: { design: string }) => l.design), [`${a.origin}/@dryer`]);
    assert.deepEqual(bTree.forks.map((f: any) => [f.iri, f.depth]), [[cFork, 1]]);
    const cTree = await treeOf(c, "dryer-flemish");
    assert.deepEqual([cTree.origin.iri, cTree.forkOf, cTree.forks], [`${a.origin}/@dryer`, `${bFork}/releases/1.0.0`, []]);

    assert.deepEqual((await forkRows(a)).map((r) => [r.fork_design_iri, r.depth, r.parent_design_iri]), [[bFork, 1, `${a.origin}/@dryer`], [cFork, 2, bFork]], "each fork recorded once");
  });

  test("A's forks collection lists both forks' IRIs for ActivityPub clients", async () => {
    const res = await fetch(`${a.origin}/@dryer/forks`, { headers: AP });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.type, "OrderedCollection");
    assert.deepEqual(body.orderedItems, [bFork, cFork]);
    assert.equal(body.totalItems, 2);
    const design = await api(a, "GET", "/api/v1/designs/dryer", undefined, null);
    assert.equal(design.body.forksCount, 2);
    const onC = await api(c, "GET", "/api/v1/designs/dryer-flemish", undefined, null);
    assert.deepEqual([onC.body.forkOf, onC.body.forkChain.map((l: { host: string }) => l.host), onC.body.releases.map((r: { version: string }) => r.version)], [`${bFork}/releases/1.0.0`, [a.host, b.host], ["1.0.0"]]);
  });

  test("a source that is not a release, or cannot be fetched, is refused with the reason; nothing is created", async () => {
    const design = await asMember(d, "POST", "/api/v1/designs/forks", { source: `${a.origin}/@dryer`, handle: "not-a-release" });
    assert.equal(design.status, 422, JSON.stringify(design.body));
    assert.match(design.body.message, /not a design release \(type Release\)/);
    const missing = await asMember(d, "POST", "/api/v1/designs/forks", { source: `${a.origin}/@dryer/releases/9.9.9`, handle: "missing" });
    assert.equal(missing.status, 422, JSON.stringify(missing.body));
    assert.match(missing.body.message, /could not fetch/);
    const notUrl = await asMember(d, "POST", "/api/v1/designs/forks", { source: "ftp://example.org/x" });
    assert.equal(notUrl.status, 422);
    assert.match(notUrl.body.message, /^source: /);
    assert.equal(await d.services.designs.find("not-a-release"), undefined);
    assert.deepEqual(await storedBlobs(d), []);
  });

  test("D's charter without the licence refuses to fork, naming the rule; a share-alike licence cannot change", async () => {
    await setForkCharter(d, { licences: ["MIT", "CERN-OHL-P-2.0"], note: "Permissive licences only" });
    const res = await asMember(d, "POST", "/api/v1/designs/forks", { source: dryerRelease, handle: "dryer-oslo" });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(res.body.message, /charter rule licences: this node's charter \(version \d+\) does not accept CERN-OHL-S-2\.0/);
    await setForkCharter(d, { licences: [], note: "Any licence" });
    const relicensed = await asMember(d, "POST", "/api/v1/designs/forks", { source: dryerRelease, handle: "dryer-oslo", licence: "MIT" });
    assert.equal(relicensed.status, 422, JSON.stringify(relicensed.body));
    assert.match(relicensed.body.message, /CERN-OHL-S-2\.0 is share-alike, so a fork keeps CERN-OHL-S-2\.0 \(not MIT\)/);
    assert.equal(await d.services.designs.find("dryer-oslo"), undefined);
    assert.deepEqual(await storedBlobs(d), []);
  });

  test("a source on a host D's charter blocks is refused with 403, naming the rule", async () => {
    await setForkCharter(d, { mode: "blocklist", block: [a.host], note: "Block A" });
    const res = await asMember(d, "POST", "/api/v1/designs/forks", { source: dryerRelease, handle: "dryer-blocked" });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.match(res.body.message, new RegExp(`charter rule federation: ${a.host.replace(/[.:]/g, "\\$&")} is not federated with`));
    await setForkCharter(d, { note: "Open again" });
  });

  test("A's charter refusing a fork's licence answers Reject with the rule and does not list it", async () => {
    const lampRelease = await publishOnA("lamp", "MIT");
    await setForkCharter(a, { licences: ["MIT", "CERN-OHL-S-2.0"], note: "MIT and CERN-OHL-S" });
    const res = await asMember(d, "POST", "/api/v1/designs/forks", { source: lampRelease, handle: "lamp-oslo", licence: "CERN-OHL-P-2.0" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const reject = await eventually("A's Reject", async () => {
      const rows = await a.database.db.selectFrom("outbox").select(["activity", "recipients", "sender"]).execute();
      return rows.find((r) => (r.activity as { type?: string }).type === "Reject");
    }, WAIT_MS);
    const activity = reject.activity as Record<string, unknown>;
    assert.equal(reject.sender, "lamp");
    assert.deepEqual(reject.recipients, [{ id: `${d.origin}/@lamp-oslo`, inbox: `${d.origin}/@lamp-oslo/inbox` }]);
    assert.match(String(activity.content), /charter rule licences: this node's charter \(version \d+\) does not accept CERN-OHL-P-2\.0/);
    assert.deepEqual((await treeOf(a, "lamp")).forks, []);
    assert.equal((await forkRows(a)).some((r) => r.fork_design_iri === `${d.origin}/@lamp-oslo`), false);
  });
});
