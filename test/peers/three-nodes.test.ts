import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createFakeNode, type FakeNode } from "./helpers/fake-node.ts";
import {
  api,
  createListedProject,
  directoryIs,
  eventually,
  type PeerNode,
  peerOf,
  peerStateIs,
  setCharter,
  settled,
  startPeerNode,
} from "./helpers/peer-nodes.ts";

/**
 * Nodes with different charters federating their directories over loopback, for real (signatures,
 * queues, outbox relay):
 *
 *   A  open,                    hop limit 1 (forwards one node further)
 *   B  allowlist [A],           hop limit 1
 *   C  blocklist [B],           hop limit 1
 *   D  open,                    hop limit 1 — asks B to connect and waits for B's approval
 *
 * and F, a hand-driven node connected to A, which sends forged entries. Hops count links from the
 * origin (1 at a direct peer); an entry travels one node beyond its origin's peers when both the
 * origin's charter (its maxHops) and each node on the way allow it.
 */

const LYON = { name: "Lyon", latitude: 45.764, longitude: 4.8357, country: "FR" };
const BOLOGNA = { name: "Bologna", latitude: 44.4949, longitude: 11.3426, country: "IT" };
const BARCELONA = { name: "Barcelona", latitude: 41.3874, longitude: 2.1686, country: "ES" };
const GHENT = { name: "Ghent", latitude: 51.0543, longitude: 3.7174, country: "BE" };

let a: PeerNode;
let b: PeerNode;
let c: PeerNode;
let d: PeerNode;
let f: FakeNode;
const entry = { a: "", b: "", c: "", d: "" };

before(async () => {
  a = await startPeerNode("A");
  b = await startPeerNode("B");
  c = await startPeerNode("C");
  d = await startPeerNode("D");
  f = await createFakeNode(a);
});
after(async () => {
  for (const node of [a, b, c, d]) await node?.close();
  await f?.close();
});

async function allSettled(): Promise<void> {
  for (const node of [a, b, c, d]) await settled(node);
}

async function storedEntry(node: PeerNode, iri: string) {
  return await node.database.db.selectFrom("directory_entries").selectAll().where("iri", "=", iri).executeTakeFirst();
}

async function peerIdAt(node: PeerNode, other: { host: string }): Promise<number | undefined> {
  return (await node.database.db.selectFrom("peers").select("id").where("host", "=", other.host).executeTakeFirst())?.id;
}

describe(`directories federated between nodes with different charters on ${ENGINE_LABEL}`, () => {
  test("charters and listings are in place before anyone connects", async () => {
    await setCharter(a, { mode: "open", hopLimit: 1 });
    await setCharter(b, { mode: "allowlist", allow: [a], hopLimit: 1 });
    await setCharter(c, { mode: "blocklist", block: [b], hopLimit: 1 });
    await setCharter(d, { mode: "open", hopLimit: 1 });
    entry.a = await createListedProject(a, "agarden", LYON, ["garden"]);
    entry.b = await createListedProject(b, "bbikes", BOLOGNA, ["bikes"]);
    entry.c = await createListedProject(c, "cfablab", BARCELONA, ["fablab"]);
    entry.d = await createListedProject(d, "drepair", GHENT, ["repair"]);
    for (const [node, iri] of [[a, entry.a], [b, entry.b], [c, entry.c], [d, entry.d]] as const) await directoryIs(node, [iri]);
  });

  test("A connects to B (allowlist listing A) and to C (blocklist not blocking A): both accept, follow back, and backfill", async () => {
    const toB = await api(a, "POST", "/api/v1/admin/peers", { url: b.origin });
    assert.equal(toB.status, 201, JSON.stringify(toB.body));
    assert.deepEqual([toB.body.host, toB.body.actor, toB.body.weFollow], [b.host, `${b.origin}/@node`, "pending"]);
    const toC = await api(a, "POST", "/api/v1/admin/peers", { url: `${c.origin}/some/page` });
    assert.equal(toC.status, 201, JSON.stringify(toC.body));
    const again = await api(a, "POST", "/api/v1/admin/peers", { url: b.origin });
    assert.equal(again.status, 200, "connecting twice changes nothing");

    for (const [x, y] of [[a, b], [b, a], [a, c], [c, a]] as const) await peerStateIs(x, y, "connected");
    await allSettled();
    // A sees everyone's and forwards B's to C and C's to B (2 hops, within every limit), but each
    // refuses the other's: B's allowlist does not list C, and C blocks B.
    await directoryIs(a, [entry.a, entry.b, entry.c]);
    await directoryIs(b, [entry.a, entry.b]);
    await directoryIs(c, [entry.a, entry.c]);
    const bAtA = await storedEntry(a, entry.b);
    assert.deepEqual([bAtA?.origin, bAtA?.origin_host, bAtA?.hops, bAtA?.received_from_peer_id], [`${b.origin}/@node`, b.host, 1, await peerIdAt(a, b)]);
    const listed = await api(a, "GET", `/api/v1/directory?node=${encodeURIComponent(b.host)}`, undefined, null);
    assert.deepEqual(listed.body.items.map((i: { iri: string; name: string; origin: unknown }) => [i.iri, i.name]), [[entry.b, "bbikes project"]]);
  });

  test("C cannot connect to B, whom its charter blocks", async () => {
    const res = await api(c, "POST", "/api/v1/admin/peers", { url: b.origin });
    assert.equal(res.status, 422);
    assert.match(res.body.message, new RegExp(b.host.replace(/[.:]/g, "\\$&")));
    assert.equal(await peerOf(c, b), undefined);
  });

  test("D asks B (allowlist without D): held for approval, nothing exchanged; B approves: connected, and listings travel one node further", async () => {
    const ask = await api(d, "POST", "/api/v1/admin/peers", { url: b.origin });
    assert.equal(ask.status, 201, JSON.stringify(ask.body));
    const waiting = await peerStateIs(b, d, "awaiting-approval");
    assert.deepEqual([waiting.weFollow, waiting.theyFollow], ["none", "pending"]);
    await allSettled();
    assert.equal((await peerOf(d, b))?.state, "requested");
    await directoryIs(b, [entry.a, entry.b]);
    await directoryIs(d, [entry.d]);

    const approved = await api(b, "POST", `/api/v1/admin/peers/${waiting.id}/approve`);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const charter = await api(b, "GET", "/api/v1/charter", undefined, null);
    assert.deepEqual(charter.body.document.federation.allow, [a.host, d.host]);
    assert.equal(charter.body.note, `Approved peer ${d.host}`);
    await peerStateIs(b, d, "connected");
    await peerStateIs(d, b, "connected");
    await allSettled();
    // B forwards A's entry to D (backfill item, verified at A) and D's entry to A (Announce, verified at
    // D): both at 2 hops, within A's and D's maxHops 1 and every hop limit on the way. A does not pass
    // D's entry on to C (a third hop).
    await directoryIs(b, [entry.a, entry.b, entry.d]);
    await directoryIs(d, [entry.a, entry.b, entry.d]);
    await directoryIs(a, [entry.a, entry.b, entry.c, entry.d]);
    await directoryIs(c, [entry.a, entry.c]);
    const aAtD = await storedEntry(d, entry.a);
    assert.deepEqual([aAtD?.origin, aAtD?.hops, aAtD?.received_from_peer_id], [`${a.origin}/@node`, 2, await peerIdAt(d, b)]);
    const dAtA = await storedEntry(a, entry.d);
    assert.deepEqual([dAtA?.origin, dAtA?.hops, dAtA?.received_from_peer_id, dAtA?.name], [`${d.origin}/@node`, 2, await peerIdAt(a, b), "drepair project"]);
  });

  test("forgeries from a connected peer are refused; a forwarded entry is only ever what its origin says", async () => {
    // F connects to A (open): A accepts and follows back; F accepts A's Follow; A backfills F's directory.
    const forgedItem = f.entryDocument("x", { id: entry.c, name: "Forged name for C's entry", attributedTo: `${c.origin}/@node`, attachment: [{ type: "PropertyValue", name: "kind", value: "project" }, { type: "PropertyValue", name: "hops", value: "2" }] });
    const missingAtC = `${c.origin}/directory/entries/csecret`;
    const ghostItem = f.entryDocument("y", { id: missingAtC, name: "Not at C", attributedTo: `${c.origin}/@node` });
    const genuine = f.entryDocument("freal", { name: "F's real listing" });
    f.serveDirectory([forgedItem, ghostItem, genuine]);
    const follow = { id: `${f.actor.id}#follows/1`, type: "Follow", actor: f.actor.id, object: `${a.origin}/@node` };
    assert.equal((await f.post(a, `${a.origin}/@node/inbox`, follow)).status, 202);
    const followBack = await f.peer.waitFor("A's Follow", (r) => r.activity.type === "Follow" && r.verified);
    assert.equal((await f.post(a, `${a.origin}/inbox`, { id: `${f.actor.id}#accepts/1`, type: "Accept", actor: f.actor.id, object: followBack.activity.id })).status, 202);
    await peerStateIs(a, { host: f.host } as PeerNode, "connected");
    await eventually("F's genuine entry at A", async () => (await storedEntry(a, genuine.id as string)) ?? undefined);
    await settled(a);
    assert.equal((await storedEntry(a, entry.c))?.name, "cfablab project", "C's entry keeps C's own data");
    assert.equal(await storedEntry(a, missingAtC), undefined, "an entry its origin does not have is not stored");

    // A Create whose entry is on another node's host, or attributed to another node, claims another origin.
    const onB = f.entryDocument("z", { id: `${b.origin}/directory/entries/forged`, attributedTo: `${b.origin}/@node`, name: "Forged B listing" });
    assert.equal((await f.post(a, `${a.origin}/inbox`, { id: `${f.actor.id}#creates/1`, type: "Create", actor: f.actor.id, object: onB })).status, 202);
    const claimsC = f.entryDocument("claims-c", { attributedTo: `${c.origin}/@node`, name: "Claims to be C's" });
    assert.equal((await f.post(a, `${a.origin}/inbox`, { id: `${f.actor.id}#creates/2`, type: "Create", actor: f.actor.id, object: claimsC })).status, 202);
    // An Announce of an entry its origin does not serve, or serves under another id.
    assert.equal((await f.post(a, `${a.origin}/inbox`, { id: `${f.actor.id}#announces/1`, type: "Announce", actor: f.actor.id, object: missingAtC })).status, 202);
    f.peer.serve("/directory/entries/mismatch", f.entryDocument("other"));
    assert.equal((await f.post(a, `${a.origin}/inbox`, { id: `${f.actor.id}#announces/2`, type: "Announce", actor: f.actor.id, object: `${f.origin}/directory/entries/mismatch` })).status, 202);
    // And a genuine one, last, so that waiting for it waits for the others too (same inbox queue).
    const later = f.entryDocument("flater", { name: "F's later listing" });
    assert.equal((await f.post(a, `${a.origin}/inbox`, { id: `${f.actor.id}#creates/3`, type: "Create", actor: f.actor.id, object: later })).status, 202);
    await eventually("F's later entry at A", async () => (await storedEntry(a, later.id as string)) ?? undefined);
    await settled(a);
    for (const iri of [onB.id, claimsC.id, missingAtC, `${f.origin}/directory/entries/mismatch`, `${f.origin}/directory/entries/other`]) {
      assert.equal(await storedEntry(a, iri as string), undefined, `${iri} must not be stored`);
    }
    await directoryIs(a, [entry.a, entry.b, entry.c, entry.d, genuine.id as string, later.id as string]);
  });

  test("an update on B reaches its peers; A's forward of it to C is refused (C blocks B)", async () => {
    const edited = await api(b, "PATCH", "/api/v1/projects/bbikes", { name: "Bologna bike kitchen", tags: ["bikes", "repair"] });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    for (const node of [a, d]) {
      await eventually(`the new name at ${node.label}`, async () => ((await storedEntry(node, entry.b))?.name === "Bologna bike kitchen" ? true : undefined));
      assert.deepEqual((await storedEntry(node, entry.b))?.tags, ["bikes", "repair"]);
    }
    await allSettled();
    assert.equal(await storedEntry(c, entry.b), undefined);
  });

  test("a disconnect removes that peer's entries on both sides", async () => {
    const cAtA = (await peerOf(a, c))!;
    const res = await api(a, "DELETE", `/api/v1/admin/peers/${cAtA.id}`);
    assert.equal(res.status, 204);
    assert.equal(await peerOf(a, c), undefined);
    await directoryIs(a, [entry.a, entry.b, entry.d, `${f.origin}/directory/entries/freal`, `${f.origin}/directory/entries/flater`]);
    await eventually("C to forget A", async () => ((await peerOf(c, a)) === undefined ? true : undefined));
    await directoryIs(c, [entry.c]);
    const missing = await api(a, "DELETE", `/api/v1/admin/peers/${cAtA.id}`);
    assert.equal(missing.status, 404);
  });

  test("unlisting on A removes the entry from its peers, and from D, which had it forwarded through B", async () => {
    const unlisted = await api(a, "PATCH", "/api/v1/projects/agarden", { listed: false });
    assert.equal(unlisted.status, 200, JSON.stringify(unlisted.body));
    await directoryIs(a, [entry.b, entry.d, `${f.origin}/directory/entries/freal`, `${f.origin}/directory/entries/flater`]);
    await directoryIs(b, [entry.b, entry.d]);
    await directoryIs(d, [entry.b, entry.d]);
    const gone = await fetch(entry.a, { headers: { Accept: "application/activity+json" } });
    assert.equal(gone.status, 404);
  });

  test("B lists C and asks it to connect: C's charter refuses B at the edge, so they never connect", async () => {
    await setCharter(b, { mode: "allowlist", allow: [a, d, c], hopLimit: 1, note: "Try C" });
    const ask = await api(b, "POST", "/api/v1/admin/peers", { url: c.origin });
    assert.equal(ask.status, 201, JSON.stringify(ask.body));
    assert.equal(ask.body.state, "requested");
    // B's Follow was relayed (and refused by C with 403, which B's queue retries later).
    await eventually("B's Follow relayed", async () => {
      const row = await b.database.db.selectFrom("outbox").select("relayed_at").where("relayed_at", "is", null).executeTakeFirst();
      return row === undefined ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await peerOf(c, b), undefined);
    assert.equal((await peerOf(b, c))?.state, "requested");
    await directoryIs(b, [entry.b, entry.d]);
    await directoryIs(c, [entry.c]);
  });
});
