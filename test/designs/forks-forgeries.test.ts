import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { CreateDesignSchema, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { eventually, settled } from "../federation/listening-node.ts";
import { api } from "../peers/helpers/peer-nodes.ts";
import { createFakeDesignNode, type FakeDesignNode } from "./helpers/fake-design-node.ts";
import { asMember, type ForkNode, putBlob, startForkNode, storedBlobs } from "./helpers/fork-nodes.ts";

/**
 * What a node must not believe or keep: a release whose files are not the bytes it declares (served
 * by F, a hand-driven node), and fork announcements F sends about forks it did not make, or whose
 * chain its links' own documents do not back. A and B are real nodes.
 */

let a: ForkNode;
let b: ForkNode;
let f: FakeDesignNode;
const plans = Buffer.from("Assembly plans of the dryer.\n".repeat(50));
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

before(async () => {
  a = await startForkNode("A", "127.0.0.50");
  // Small caps (about 10 kB a file, 20 kB a release), so that tests can pass them.
  b = await startForkNode("B", "127.0.0.51", { DESIGN_FILE_MAX_MB: "0.01", DESIGN_RELEASE_MAX_MB: "0.02" });
  f = await createFakeDesignNode(a as unknown as TestNode, "127.0.0.52");
});
after(async () => {
  for (const node of [a, b]) await node?.close();
  await f?.close();
});

async function publishOnA(handle: string, licence: string): Promise<string> {
  await a.services.designs.create(a.member.actorId, CreateDesignSchema.parse({ handle, name: `Design ${handle}`, licence }));
  const blob = await putBlob(a, plans);
  const release = await a.services.designs.publishRelease(a.member.actorId, handle, ReleaseInputSchema.parse({ version: "1.0.0" }), [{ name: "plans.txt", sha256: blob.sha256, size: blob.size, mediaType: "text/plain", role: "manual", preview: null }]);
  return release.iri;
}

const link = (node: { origin: string; host: string }, handle: string, licence: string) => ({ release: `${node.origin}/@${handle}/releases/1.0.0`, design: `${node.origin}/@${handle}`, name: `Design ${handle}`, host: node.host, licence });

describe(`forged releases and fork claims on ${ENGINE_LABEL}`, () => {
  test("a release whose file is not the declared bytes is refused, naming the file; the files already stored are removed", async () => {
    const good = Buffer.from("a good file\n");
    const source = f.serveRelease("bad", "1.0.0", [{ name: "good.txt", declared: good }, { name: "frame.step", declared: Buffer.from("the real frame\n"), served: Buffer.from("an altered frame\n") }], "CERN-OHL-S-2.0");
    f.serveDesign("bad", { licence: "CERN-OHL-S-2.0" });
    const res = await asMember(b, "POST", "/api/v1/designs/forks", { source, handle: "bad-copy" });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(res.body.message, new RegExp(`file frame\\.step: its SHA-256 is ${sha(Buffer.from("an altered frame\n"))}, not ${sha(Buffer.from("the real frame\n"))}`));
    assert.equal(await b.services.designs.find("bad-copy"), undefined);
    assert.deepEqual(await storedBlobs(b), [], "good.txt, stored first, is removed again");
  });

  test("files over B's caps are refused with 413, whether their declared size says so or the bytes do", async () => {
    f.serveDesign("big", { licence: "MIT" });
    const big = Buffer.from("x".repeat(12_000));
    const declaredBig = await asMember(b, "POST", "/api/v1/designs/forks", { source: f.serveRelease("big", "1.0.0", [{ name: "big.bin", declared: big }], "MIT"), handle: "big-copy" });
    assert.equal(declaredBig.status, 413, JSON.stringify(declaredBig.body));
    assert.match(declaredBig.body.message, /file big\.bin is larger than 0\.01 MB, this node's cap on one design file/);
    const lying = await asMember(b, "POST", "/api/v1/designs/forks", { source: f.serveRelease("big", "1.0.1", [{ name: "small.bin", declared: big, size: 100 }], "MIT"), handle: "big-copy" });
    assert.equal(lying.status, 413, JSON.stringify(lying.body));
    assert.match(lying.body.message, /file small\.bin is larger than this node's cap on one design file \(0\.01 MB\)/);
    const parts = ["a", "b", "c"].map((n) => ({ name: `part-${n}.bin`, declared: Buffer.from(n.repeat(8_000)), size: null }));
    const whole = await asMember(b, "POST", "/api/v1/designs/forks", { source: f.serveRelease("big", "1.0.2", parts, "MIT"), handle: "big-copy" });
    assert.equal(whole.status, 413, JSON.stringify(whole.body));
    assert.match(whole.body.message, /file part-c\.bin is larger than this node's cap on one release \(0\.02 MB\)/);
    assert.equal(await b.services.designs.find("big-copy"), undefined);
    assert.deepEqual(await storedBlobs(b), [], "the parts stored before the cap was reached are removed");
  });

  test("a file on an address outside the address policy is not downloaded", async () => {
    f.serveDesign("inside", { licence: "MIT" });
    const source = f.serveRelease("inside", "1.0.0", [{ name: "secrets.txt", declared: Buffer.from("metadata\n"), href: "http://169.254.169.254/latest/meta-data/" }], "MIT");
    const res = await asMember(b, "POST", "/api/v1/designs/forks", { source, handle: "inside-copy" });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(res.body.message, /file secrets\.txt: could not be downloaded from http:\/\/169\.254\.169\.254\/latest\/meta-data\/ \(refused: /);
    assert.equal(await b.services.designs.find("inside-copy"), undefined);
  });

  test("a release whose id is on another host than the URL asked for is refused", async () => {
    f.peer.serve("/designs/elsewhere/releases/1.0.0", { "@context": "https://www.w3.org/ns/activitystreams", id: `${a.origin}/@ghost/releases/1.0.0`, type: "Release" });
    const res = await asMember(b, "POST", "/api/v1/designs/forks", { source: `${f.origin}/designs/elsewhere/releases/1.0.0` });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(res.body.message, /is not on its host/);
  });

  test("fork announcements F did not make, or whose chain does not hold, record nothing; a genuine one is recorded once", async () => {
    const dryer = await publishOnA("dryer", "CERN-OHL-S-2.0");
    const lamp = await publishOnA("lamp", "CERN-OHL-S-2.0");
    const forked = await asMember(b, "POST", "/api/v1/designs/forks", { source: dryer, handle: "dryer-b" });
    assert.equal(forked.status, 201, JSON.stringify(forked.body));
    await eventually("A to list B's fork", async () => ((await api(a, "GET", "/api/v1/designs/dryer/forks", undefined, null)).body.forks.length === 1 ? true : undefined));
    const bFork = `${b.origin}/@dryer-b`;
    const inbox = `${a.origin}/@dryer/inbox`;
    const announce = (n: number, object: string) => f.post(a as unknown as TestNode, inbox, { id: `${f.actor.id}#creates/${n}`, type: "Create", actor: f.actor.id, to: [`${a.origin}/@dryer`], object: { id: object, type: "Service", name: "A fork" } });

    // 1. A fork on B's host, announced by F: a node cannot claim a fork it did not make.
    assert.equal((await announce(1, bFork)).status, 202);
    // 2. F's design, whose own document names no forkOf: the announcement claims what its origin does not.
    const notAFork = f.serveDesign("not-a-fork", { licence: "CERN-OHL-S-2.0" });
    assert.equal((await announce(2, notAFork)).status, 202);
    // 3. A chain naming A's dryer release as a release of A's lamp.
    const mixed = f.serveDesign("mixed", { licence: "CERN-OHL-S-2.0", forkOf: dryer, forkChain: [{ ...link(a, "lamp", "CERN-OHL-S-2.0"), release: dryer }] });
    assert.equal((await announce(3, mixed)).status, 202);
    // 4. A chain through B's fork, forked from A's lamp: B's own document says it was forked from the dryer.
    const throughB = f.serveDesign("through-b", { licence: "CERN-OHL-S-2.0", forkOf: `${bFork}/releases/1.0.0`, forkChain: [link(a, "lamp", "CERN-OHL-S-2.0"), { ...link(b, "dryer-b", "CERN-OHL-S-2.0"), name: "Design dryer" }] });
    assert.equal((await announce(4, throughB)).status, 202);
    // 5. A genuine fork of the lamp by F, announced twice; last, so waiting for it waits for the others.
    const genuine = f.serveDesign("lamp-f", { licence: "CERN-OHL-S-2.0", forkOf: lamp, forkChain: [link(a, "lamp", "CERN-OHL-S-2.0")] });
    assert.equal((await announce(5, genuine)).status, 202);
    assert.equal((await announce(6, genuine)).status, 202);
    await eventually("the genuine fork at A", async () => ((await api(a, "GET", "/api/v1/designs/lamp/forks", undefined, null)).body.forks.length === 1 ? true : undefined));
    await settled(a);
    const rows = await a.database.db.selectFrom("design_forks").select(["fork_design_iri", "depth", "node_host"]).orderBy("id").execute();
    assert.deepEqual(rows.map((r) => [r.fork_design_iri, r.depth, r.node_host]), [[bFork, 1, b.host], [genuine, 1, f.host]]);
    const accepts = await f.peer.waitFor("A's Accept", (r) => r.activity.type === "Accept" && r.verified);
    assert.equal(accepts.activity.actor, `${a.origin}/@lamp`);
  });

  test("a release whose design claims a chain its links' own documents do not back cannot be forked", async () => {
    const source = f.serveRelease("through-b", "1.0.0", [], "CERN-OHL-S-2.0");
    const res = await asMember(a, "POST", "/api/v1/designs/forks", { source, handle: "through-b-copy" });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.match(res.body.message, new RegExp(`^source: ${b.origin.replace(/[.:/]/g, "\\$&")}/@dryer-b does not name the chain claimed for it$`));
    assert.equal(await a.services.designs.find("through-b-copy"), undefined);
  });
});
