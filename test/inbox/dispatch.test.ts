import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Context, InboxContext } from "@fedify/fedify";
import { Accept, type Activity, Announce, Create, Delete, Follow, Like, Note, Page, Person, Reject, Service, Undo, Update } from "@fedify/vocab";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { createInboxDispatch, INBOX_ROUTES, type InboxRoute } from "../../federation/inbox/dispatch.ts";
import type { FederationDeps } from "../../federation/federation-deps.ts";
import { MADE_REPORT_CONTEXTS } from "../../federation/translate/made-report.ts";
import { NODE_ACTOR_HANDLE } from "../../server/modules/actors/handle.schema.ts";
import { setTheyFollow, setWeFollow, upsertPeer } from "../../server/modules/peers/peer.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";

const OURS = "https://city-a.test";
const PEER = "https://city-b.test";
const PEER_ACTOR = `${PEER}/@node`;
const ALICE = "https://social.example/users/alice";
const OUR_FOLLOW = `${OURS}/@node#follows/0190f1d2-peer`;
const THEIR_FOLLOW = `${PEER}/@node#follows/0190f1d3-ours`;

let node: TestNode;
let ctx: Context<FederationDeps>;
let nodeActor: URL;
/** A made-here report as a Commonsnet node sends it (parsed from JSON, as the inbox parses it). */
let madeEvent: Create;
const logs: LogRecord[] = [];

before(async () => {
  await configure({
    reset: true,
    sinks: { memory: (record) => void logs.push(record) },
    loggers: [
      { category: ["commonsnet", "inbox"], lowestLevel: "info", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
    ],
  });
  node = await createTestNode();
  ctx = node.federation.createContext(new URL(OURS), node.deps);
  nodeActor = ctx.getActorUri(NODE_ACTOR_HANDLE);
  madeEvent = await Create.fromJsonLd({
    "@context": [...MADE_REPORT_CONTEXTS],
    id: `${PEER}/made/1/activity`,
    type: "Create",
    actor: `${PEER}/@ines`,
    object: { id: `${PEER}/made/1`, type: ["Object", "EconomicEvent"], action: "produce", resourceConformsTo: `${OURS}/@dryer/releases/1.0.0` },
  });
  const { db } = node.database;
  const peer = await upsertPeer(db, { host: "city-b.test", actorIri: PEER_ACTOR, inbox: `${PEER_ACTOR}/inbox`, sharedInbox: `${PEER}/inbox`, name: "City B" });
  await setWeFollow(db, peer.id, "pending", OUR_FOLLOW);
  await setTheyFollow(db, peer.id, "accepted", THEIR_FOLLOW);
});
after(async () => {
  await node.close();
  await reset();
});

const url = (iri: string) => new URL(iri);
let sequence = 0;
/** An id on the actor's origin, as the guards require. */
const idOf = (actor: string) => url(`${new URL(actor).origin}/activities/${++sequence}`);

/** Activities a peer or a Mastodon account sends, each with the row it must reach. */
function cases(): { name: string; activity: Activity; row: [string, string] }[] {
  const entry = url(`${PEER}/directory/entries/1`);
  const entryPage = new Page({ id: entry, attribution: url(PEER_ACTOR), name: "Repair café" });
  const aliceNote = new Note({ id: url(`${ALICE}/statuses/1`), attribution: url(ALICE), content: "<p>hi</p>" });
  const peerNote = new Note({ id: url(`${PEER}/notes/1`), attribution: url(PEER_ACTOR), content: "<p>hello</p>" });
  const ourUpdate = url(`${OURS}/@bikekitchen/updates/1`);
  return [
    { name: "a Create of a Note", activity: new Create({ id: idOf(ALICE), actor: url(ALICE), object: aliceNote }), row: ["Create", "content"] },
    { name: "a peer's Create of a Note (no peers lookup needed)", activity: new Create({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: peerNote }), row: ["Create", "content"] },
    { name: "a Create of a made-here EconomicEvent", activity: madeEvent, row: ["Create", "made-here"] },
    { name: "a design announcing itself as a fork", activity: new Create({ id: idOf(PEER), actor: url(`${PEER}/@dryer-humid`), object: new Service({ id: url(`${PEER}/@dryer-humid`) }) }), row: ["Create", "design-fork"] },
    { name: "a peer's Create of an entry Page", activity: new Create({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: entryPage }), row: ["Create", "directory"] },
    { name: "a Page from a server that is not a peer", activity: new Create({ id: idOf(ALICE), actor: url(ALICE), object: new Page({ id: url(`${ALICE}/p/1`) }) }), row: ["Create", "content"] },
    { name: "a profile Update", activity: new Update({ id: idOf(ALICE), actor: url(ALICE), object: new Person({ id: url(ALICE) }) }), row: ["Update", "content"] },
    { name: "a peer's own profile Update", activity: new Update({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url(PEER_ACTOR) }), row: ["Update", "content"] },
    { name: "a peer's Update of an entry Page", activity: new Update({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: entryPage }), row: ["Update", "directory"] },
    { name: "a Delete of a post", activity: new Delete({ id: idOf(ALICE), actor: url(ALICE), object: url(`${ALICE}/statuses/1`) }), row: ["Delete", "content"] },
    { name: "a peer's Delete of itself", activity: new Delete({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url(PEER_ACTOR) }), row: ["Delete", "content"] },
    { name: "a peer's Delete of an entry", activity: new Delete({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: entry }), row: ["Delete", "directory"] },
    { name: "a boost of our update", activity: new Announce({ id: idOf(ALICE), actor: url(ALICE), object: ourUpdate }), row: ["Announce", "content"] },
    { name: "a peer's Announce of a forwarded entry", activity: new Announce({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url("https://city-c.test/directory/entries/9") }), row: ["Announce", "directory"] },
    { name: "a Like of our update", activity: new Like({ id: idOf(ALICE), actor: url(ALICE), object: ourUpdate }), row: ["Like", "content"] },
    { name: "a Follow of a project", activity: new Follow({ id: idOf(ALICE), actor: url(ALICE), object: url(`${OURS}/@bikekitchen`) }), row: ["Follow", "local-actor"] },
    { name: "a node's Follow of our node actor", activity: new Follow({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: nodeActor }), row: ["Follow", "node-actor"] },
    { name: "an Accept of a member's Follow", activity: new Accept({ id: idOf(ALICE), actor: url(ALICE), object: url(`${OURS}/@maria#follows/1`) }), row: ["Accept", "local-actor"] },
    { name: "a peer's Accept of our node actor's Follow, by id", activity: new Accept({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url(OUR_FOLLOW) }), row: ["Accept", "peering"] },
    {
      name: "a peer's Accept embedding our node actor's Follow",
      activity: new Accept({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: new Follow({ id: url(`${OURS}/@node#follows/other`), actor: nodeActor, object: url(PEER_ACTOR) }) }),
      row: ["Accept", "peering"],
    },
    { name: "a peer's Accept of a node Follow that is not ours to it", activity: new Accept({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url(`${OURS}/@node#follows/stale`) }), row: ["Accept", "local-actor"] },
    { name: "a Reject of a member's Follow", activity: new Reject({ id: idOf(ALICE), actor: url(ALICE), object: url(`${OURS}/@maria#follows/2`) }), row: ["Reject", "local-actor"] },
    { name: "a peer's Reject of our node actor's Follow", activity: new Reject({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url(OUR_FOLLOW) }), row: ["Reject", "peering"] },
    {
      name: "an Undo of a Like",
      activity: new Undo({ id: idOf(ALICE), actor: url(ALICE), object: new Like({ id: url(`${ALICE}/likes/1`), actor: url(ALICE), object: ourUpdate }) }),
      row: ["Undo", "local-actor"],
    },
    { name: "a peer's Undo of its Follow, by id", activity: new Undo({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url(THEIR_FOLLOW) }), row: ["Undo", "peering"] },
    {
      name: "a peer's Undo embedding its Follow of our node actor",
      activity: new Undo({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: new Follow({ id: url(`${PEER}/follows/x`), actor: url(PEER_ACTOR), object: nodeActor }) }),
      row: ["Undo", "peering"],
    },
    { name: "a peer's Undo of something else, by id", activity: new Undo({ id: idOf(PEER_ACTOR), actor: url(PEER_ACTOR), object: url(`${PEER}/likes/1`) }), row: ["Undo", "local-actor"] },
  ];
}

/** The real table with each handler replaced by one that records which row ran. */
function recordingRoutes(routes: readonly InboxRoute[], ran: string[]): InboxRoute[] {
  return routes.map((r) => ({ ...r, handle: async () => void ran.push(`${r.type.name} ${r.target}`) }));
}

const inboxCtx = () => ctx as unknown as InboxContext<FederationDeps>;

describe(`the inbox dispatch table on ${ENGINE_LABEL}`, () => {
  test("each activity reaches the one row for its type and what it is about, and every row is reachable", async () => {
    const ran: string[] = [];
    const dispatch = createInboxDispatch(recordingRoutes(INBOX_ROUTES, ran));
    const reached = new Set<string>();
    for (const { name, activity, row } of cases()) {
      ran.length = 0;
      await dispatch(inboxCtx(), activity);
      assert.deepEqual(ran, [row.join(" ")], name);
      reached.add(row.join(" "));
    }
    assert.deepEqual([...reached].sort(), INBOX_ROUTES.map((r) => `${r.type.name} ${r.target}`).sort());
  });

  test("a combination without a row is logged and ignored", async () => {
    const ran: string[] = [];
    const withoutPeering = INBOX_ROUTES.filter((r) => !(r.type === Follow && r.target === "node-actor"));
    const dispatch = createInboxDispatch(recordingRoutes(withoutPeering, ran));
    const id = idOf(PEER_ACTOR);
    logs.length = 0;
    await dispatch(inboxCtx(), new Follow({ id, actor: url(PEER_ACTOR), object: nodeActor }));
    assert.deepEqual(ran, []);
    const line = logs.find((l) => l.properties.id === id.href);
    assert.ok(line, "the ignored activity is logged");
    assert.equal(line.properties.target, "node-actor");
  });
});
