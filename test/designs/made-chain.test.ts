import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { MADE_REPORT_CONTEXTS } from "../../federation/translate/made-report.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { eventually, type PeerNode, settled, startPeerNode } from "../peers/helpers/peer-nodes.ts";
import { bearer, createMember, type DesignRelease, lyonReport, type Member, publishDesign } from "./made-fixtures.ts";

/**
 * Three nodes over loopback, for real (signatures, queues, outbox relay): A publishes the original
 * design, B forks A's release, C forks B's. A build reported on C reaches C's design, B's and A's;
 * each node stores it once with the whole chain and counts it. Forged reports sent to A by a
 * hand-driven peer (an event on another host than its actor, a release nobody knows) store nothing.
 */

let a: PeerNode;
let b: PeerNode;
let c: PeerNode;
let original: DesignRelease;
let humid: DesignRelease;
let lyon: DesignRelease;
let ines: Member;

before(async () => {
  a = await startPeerNode("A");
  b = await startPeerNode("B");
  c = await startPeerNode("C");
  original = await publishDesign(a, await createMember(a, "marc"), "dryer", "Solar dryer");
  humid = await publishDesign(b, await createMember(b, "giulia"), "dryer-humid", "Solar dryer (humid)", { of: original, chain: [] });
  lyon = await publishDesign(c, await createMember(c, "louise"), "dryer-lyon", "Solar dryer (Lyon)", { of: humid, chain: [original.link] });
  ines = await createMember(c, "ines");
});
after(async () => {
  for (const node of [a, b, c]) await node?.close();
});

async function madeOn(node: PeerNode, handle: string) {
  const res = await fetch(`${node.origin}/api/v1/designs/${handle}/made`, { headers: { Accept: "application/json" } });
  assert.equal(res.status, 200, `GET made on ${node.label}`);
  return (await res.json()) as { items: { iri: string; release: string; chain: { design: string }[]; local: boolean; place: string }[]; madeCount: number; cities: number };
}

async function storedIris(node: PeerNode): Promise<string[]> {
  return (await node.database.db.selectFrom("made_reports").select("iri").execute()).map((r) => r.iri);
}

describe(`made here along a fork chain of three nodes (${ENGINE_LABEL})`, () => {
  let reportIri = "";

  test("a build of C's release reaches C's design, B's and A's, each storing it with the chain and counting it", async () => {
    const res = await c.http.post(`/api/v1/designs/dryer-lyon/releases/${lyon.version}/made`).set(...bearer(ines)).send(lyonReport());
    assert.equal(res.status, 201, res.text);
    reportIri = res.body.iri;
    assert.deepEqual(res.body.chain.map((l: { design: string }) => l.design), [original.designIri, humid.designIri, lyon.designIri], "origin first");

    for (const [node, handle] of [[a, "dryer"], [b, "dryer-humid"]] as const) {
      const made = await eventually(`the report on ${node.label}`, async () => {
        const list = await madeOn(node, handle);
        return list.items.some((i) => i.iri === reportIri) ? list : undefined;
      });
      const item = made.items.find((i) => i.iri === reportIri)!;
      assert.equal(item.release, lyon.releaseIri, `${node.label} files the report of C's release`);
      assert.equal(item.local, false);
      assert.equal(item.place, "Lyon");
      assert.deepEqual(item.chain.map((l) => l.design), [original.designIri, humid.designIri, lyon.designIri], `${node.label} keeps the chain`);
      assert.equal(made.madeCount, 1, `${node.label} counts it`);
      assert.equal(made.cities, 1);
      const notes = await node.database.db.selectFrom("outbox").select(["sender", "recipients", "activity"]).where("sender", "=", handle).execute();
      const note = notes.map((n) => (n.activity as { object?: { content?: string } }).object).find((o) => o?.content?.startsWith("<p>Made in Lyon"));
      assert.equal(note?.content, "<p>Made in Lyon: Solar dryer (Lyon) 1.0.0 — Built three for the roof garden.</p>", `${node.label}'s design tells its followers`);
    }
    const onC = await madeOn(c, "dryer-lyon");
    assert.equal(onC.madeCount, 1);
    assert.equal(onC.items[0]!.local, true);
  });

  test("a repeated delivery stores nothing more", async () => {
    for (const node of [a, b, c]) await settled(node);
    for (const node of [a, b, c]) assert.deepEqual(await storedIris(node), [reportIri], `${node.label} stored the report once`);
  });

  describe("forged reports sent to A", () => {
    let peer: SigningPeer;
    let mallory: PeerActor;
    const warnings: string[] = [];
    before(async () => {
      await configure({
        reset: true,
        sinks: { memory: (record: LogRecord) => void warnings.push(record.message.map(String).join("")) },
        loggers: [
          { category: ["commonsnet", "inbox", "made-here"], lowestLevel: "warning", sinks: ["memory"] },
          { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
        ],
      });
      peer = await createSigningPeer(a as unknown as TestNode, [], { address: "127.0.0.9" });
      mallory = await peer.addActor("mallory");
    });
    after(async () => {
      await peer?.close();
      await reset();
    });

    const send = async (eventId: string, overrides: Record<string, unknown> = {}, activityId = `${peer.origin}/activities/${encodeURIComponent(eventId)}`) => {
      const activity = {
        "@context": [...MADE_REPORT_CONTEXTS],
        id: activityId,
        type: "Create",
        actor: mallory.id,
        to: [original.designIri],
        object: {
          id: eventId,
          type: ["Object", "EconomicEvent"],
          action: "produce",
          provider: mallory.id,
          resourceConformsTo: original.releaseIri,
          hasPointInTime: "2026-10-01T10:00:00Z",
          toLocation: { type: "Place", name: "Nowhere", latitude: 1, longitude: 2 },
          content: "<p>forged</p>",
          ...overrides,
        },
      };
      const res = await deliver(a as unknown as TestNode, await peer.signedPost(`${a.origin}/inbox`, activity, mallory));
      assert.equal(res.status, 202, res.text);
    };

    /** A design of the peer's, as a Commonsnet node serves it, stating `chain` as its fork chain. */
    const serveDesign = async (handle: string, chain: readonly object[]) => {
      const real = (await (await fetch(original.designIri, { headers: { Accept: "application/activity+json" } })).json()) as Record<string, unknown>;
      const { publicKey: _key, assertionMethod: _methods, forkOf: _forkOf, forkChain: _chain, ...document } = real;
      const id = `${peer.origin}/@${handle}`;
      peer.serve(`/@${handle}`, {
        ...document,
        id,
        preferredUsername: handle,
        inbox: `${id}/inbox`,
        url: id,
        ...(chain.length > 0 && { forkOf: original.releaseIri, forkChain: chain }),
      });
      return { id, release: `${id}/releases/1.0.0` };
    };

    test("an event on another host than its actor, a release A does not know, or a chain its design does not state are ignored; genuine ones are stored", async () => {
      const claimed = await serveDesign("claims-a-chain", []);
      const forked = await serveDesign("forked-for-real", [original.link]);
      const linkOf = (d: { id: string; release: string }) => ({ release: d.release, design: d.id, name: "Fake", host: peer.origin.slice(7), licence: "CERN-OHL-S-2.0" });
      await send(`${c.origin}/made/forged-on-another-host`);
      await send(`${peer.origin}/made/chain-not-stated-by-its-design`, { resourceConformsTo: claimed.release, forkChain: [original.link, linkOf(claimed)] });
      await send(`${peer.origin}/made/fork-of-ours`, { resourceConformsTo: forked.release, forkChain: [linkOf(forked)] });
      await send(`${peer.origin}/made/unknown-release`, { resourceConformsTo: "http://127.0.0.9:1/@nothing/releases/1.0.0", forkChain: [] });
      await send(`${peer.origin}/made/claims-nothing`, { resourceConformsTo: `${c.origin}/@dryer-lyon/releases/9.9.9` });
      await send(`${peer.origin}/made/genuine`, { forkChain: [{ release: "http://127.0.0.9:1/r", design: "http://127.0.0.9:1/@made-up", name: "Made up", host: "127.0.0.9:1", licence: "MIT" }] });
      // The same report again in another activity (Fedify's own cache dedupes only a repeated activity id).
      await send(`${peer.origin}/made/genuine`, {}, `${peer.origin}/activities/genuine-again`);
      await eventually("the genuine report on A", async () => ((await storedIris(a)).includes(`${peer.origin}/made/genuine`) ? true : undefined));
      await settled(a);
      const genuine = [reportIri, `${peer.origin}/made/genuine`, `${peer.origin}/made/fork-of-ours`];
      assert.deepEqual((await storedIris(a)).sort(), genuine.sort(), "only the genuine reports are stored, each once");
      const notes = await a.database.db.selectFrom("outbox").select("activity").where("sender", "=", "dryer").execute();
      const aboutGenuine = notes.filter((n) => JSON.stringify(n.activity).includes("Made in Nowhere"));
      assert.equal(aboutGenuine.length, 2, "one Note for each genuine report, none for the repeat");
      const fork = (await madeOn(a, "dryer")).items.find((i) => i.iri === `${peer.origin}/made/fork-of-ours`)!;
      assert.deepEqual(fork.chain.map((l) => l.design), [original.designIri, forked.id], "filed with the chain its design's origin states");
      const ofOurs = (await madeOn(a, "dryer")).items.find((i) => i.iri === `${peer.origin}/made/genuine`)!;
      assert.deepEqual(ofOurs.chain.map((l) => l.design), [original.designIri], "a build of our own release carries our chain, not the sender's");
      const logged = (needle: string) => warnings.filter((w) => w.includes(needle));
      assert.equal(logged("forged-on-another-host").filter((w) => w.includes("is not on the host of its actor")).length, 1, warnings.join("\n"));
      assert.equal(logged("unknown-release").filter((w) => w.includes("is not ours, nor is any design of its chain")).length, 1, warnings.join("\n"));
      assert.equal(logged("claims-nothing").filter((w) => w.includes("is not ours, nor is any design of its chain")).length, 1, warnings.join("\n"));
      assert.equal(logged("chain-not-stated-by-its-design").filter((w) => w.includes("is not ours, nor is any design of its chain")).length, 1, warnings.join("\n"));
    });
  });
});
