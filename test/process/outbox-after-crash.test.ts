import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, afterEach, before, test } from "node:test";
import { Activity, Create, Note } from "@fedify/vocab";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import type { Db } from "../../server/db/database.ts";
import { commitWithActivities } from "../../server/modules/outbox/commit-with-activities.ts";
import { createSecretBox } from "../../server/platform/secret-box.ts";
import { createFakePeer, type Delivery, type FakePeer } from "../helpers/fake-peer.ts";
import {
  cleanupNodeProcesses,
  createNodeHome,
  killNodeProcesses,
  type NodeHome,
  type NodeProcess,
  openHomeDatabase,
  startNodeProcess,
} from "../helpers/node-process.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";

// The transactional outbox across a real process crash: what was committed is delivered, signed by
// the node's key, to a peer that verifies the signature itself.
const FEDERATING_ENV = { NODE_ENV: "test", ALLOW_PRIVATE_ADDRESS: "true" };

let home: NodeHome;
let peer: FakePeer;
before(async () => {
  peer = await createFakePeer();
  home = await createNodeHome();
  // The first start creates the database, the node actor and its keys.
  const first = await startNodeProcess(home);
  assert.equal(await first.stop(), 0, first.describe());
});
afterEach(killNodeProcesses);
after(async () => {
  await cleanupNodeProcesses();
  await peer?.close();
});

/** A Create(Note) from the node actor, as federation/ would translate it. */
function createNoteActivity(content: string): Record<string, unknown> {
  const actor = `${home.baseUrl}/@node`;
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${home.baseUrl}/activities/${randomUUID()}`,
    type: "Create",
    actor,
    to: [peer.actorId],
    object: {
      id: `${home.baseUrl}/notes/${randomUUID()}`,
      type: "Note",
      attributedTo: actor,
      to: [peer.actorId],
      content,
      published: new Date().toISOString(),
    },
  };
}

/** Runs `work` on the home's database from the test process (PGlite: only while no node runs). */
async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openHomeDatabase(home);
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** Commits one outbox row for the peer, the way a module does in its transaction. */
function commitForPeer(activity: Record<string, unknown>): Promise<void> {
  return withDatabase((db) =>
    commitWithActivities(db, async (_trx, emit) => {
      await emit({ sender: "node", recipients: [{ id: peer.actorId, inbox: peer.inbox }], activity });
    }),
  );
}

interface Health {
  readonly outboxPending: number;
  readonly queues: Record<string, { queued: number; ready: number; delayed: number }>;
}

async function waitForHealth(node: NodeProcess, what: string, ready: (health: Health) => boolean, timeoutMs = 30_000): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${node.baseUrl}/healthz`)).json()) as Health;
    if (ready(health)) return health;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last /healthz: ${JSON.stringify(health)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Queue rows are sealed with the node secret (Fedify puts private keys in them); open them here. */
function openMessage(message: unknown): Record<string, unknown> {
  const sealed = (message as { $sealed?: string }).$sealed;
  assert.equal(typeof sealed, "string", "queued messages are sealed at rest");
  assert.doesNotMatch(JSON.stringify(message), /privateKey|"d":/, "no private key material in the clear");
  const box = createSecretBox(readFileSync(join(home.dataDir, "secret"), "utf8").trim());
  return JSON.parse(box.open(sealed!)) as Record<string, unknown>;
}

/** The Fedify outbox deliveries queued for an activity. */
async function queuedDeliveries(db: Db, activityId: string) {
  const rows = await db
    .selectFrom("fedify_queue")
    .select(["id", "queue", "message", "locked_by"])
    .select(sql<number>`extract(epoch from run_at)::float8 * 1000`.as("run_at_ms"))
    .select(sql<boolean>`locked_until > now()`.as("leased"))
    .orderBy("id")
    .execute();
  return rows
    .map((row) => ({ ...row, message: openMessage(row.message) }))
    .filter((row) => row.message.activityId === activityId);
}

/**
 * Moves a queued delivery's lease end and due time to now, as if the node had stayed down for the
 * lease (60 s) or the first retry delay (60 s): real waits that would make this file take minutes.
 */
async function fastForward(db: Db, queueRowId: number): Promise<void> {
  await db
    .updateTable("fedify_queue")
    .set({ run_at: sql<Date>`least(run_at, now())`, locked_until: sql<Date>`least(locked_until, now())` })
    .where("id", "=", queueRowId)
    .execute();
}

function assertSignedByNode(delivery: Delivery, activity: Record<string, unknown>): void {
  assert.equal(delivery.verified, true, `signature of delivery #${delivery.index}: ${delivery.failure}`);
  assert.equal(delivery.keyId, `${home.baseUrl}/@node#main-key`);
  assert.equal(delivery.path, "/users/alice/inbox");
  const object = activity.object as Record<string, unknown>;
  const received = delivery.activity as Record<string, any>;
  assert.equal(received.type, "Create");
  assert.equal(received.actor, `${home.baseUrl}/@node`);
  assert.equal(received.object.id, object.id);
  assert.equal(received.object.content, object.content);
}

const forActivity = (activity: Record<string, unknown>) => (d: Delivery) => d.activityId === activity.id;

test(`an outbox row committed before a crash is delivered after the restart (${ENGINE_LABEL})`, { timeout: 90_000 }, async () => {
  const activity = createNoteActivity("hello");
  const parsed = await Activity.fromJsonLd(activity);
  assert.ok(parsed instanceof Create, "the relay can parse the draft");
  assert.equal(parsed.id?.href, activity.id);
  assert.ok((await parsed.getObject()) instanceof Note);
  await commitForPeer(activity);

  // The peer takes the first POST and never answers: the crash hits while the delivery is in flight.
  let held: Delivery | undefined;
  peer.setResponder((delivery) => {
    if (held !== undefined) return delivery.verified ? 202 : 401;
    held = delivery;
    return new Promise<number>(() => {});
  });
  const crashing = await startNodeProcess(home, FEDERATING_ENV);
  const inFlight = await peer.waitForDelivery("the first POST", forActivity(activity));
  assert.equal(inFlight, held);
  assertSignedByNode(inFlight, activity);
  // Once the relay has handed the row to Fedify's queue, only the queued delivery remains to lose.
  await waitForHealth(crashing, "the outbox row to be relayed", (h) => h.outboxPending === 0 && h.queues.outbox!.queued === 1);
  assert.equal((await crashing.kill()).signal, "SIGKILL");

  await withDatabase(async (db) => {
    const [leased, ...others] = await queuedDeliveries(db, activity.id as string);
    assert.equal(others.length, 0);
    assert.equal(leased?.queue, "outbox");
    assert.equal(leased?.leased, true, "the dead process still holds the delivery's lease");
    assert.match(leased?.locked_by ?? "", new RegExp(`:${crashing.pid}:`));
    // The restarted node retries the delivery once the dead worker's lease has lapsed.
    await fastForward(db, leased!.id);
  });
  const restarted = await startNodeProcess(home, FEDERATING_ENV);
  const acknowledged = await peer.waitForDelivery("the redelivery", (d) => forActivity(activity)(d) && d.status === 202);
  assertSignedByNode(acknowledged, activity);
  await waitForHealth(restarted, "the queue to drain", (h) => h.outboxPending === 0 && h.queues.outbox!.queued === 0);
  const received = peer.deliveries.filter(forActivity(activity));
  assert.deepEqual(received.map((d) => d.status), [undefined, 202], "one unanswered POST before the crash, one accepted after");
  assert.equal(await restarted.stop(), 0, restarted.describe());
});

test(`a delivery the peer refused with 503 stays queued across a restart and goes out on retry (${ENGINE_LABEL})`, { timeout: 90_000 }, async () => {
  const activity = createNoteActivity("hello again");
  await commitForPeer(activity);
  let peerDown = true;
  peer.setResponder((delivery) => (peerDown ? 503 : delivery.verified ? 202 : 401));
  const beforeRefusal = Date.now();
  const node = await startNodeProcess(home, FEDERATING_ENV);
  await waitForHealth(node, "the retry to be scheduled", (h) => h.outboxPending === 0 && h.queues.outbox!.delayed === 1);
  assert.equal(await node.stop(), 0, node.describe());

  // Fedify knocks twice, once per signature spec, before it counts the attempt as failed.
  const refused = peer.deliveries.filter(forActivity(activity));
  assert.deepEqual(refused.map((d) => d.status), [503, 503]);
  assert.deepEqual(refused.map((d) => d.spec).sort(), ["draft-cavage-http-signatures-12", "rfc9421"]);
  for (const delivery of refused) assertSignedByNode(delivery, activity);

  await withDatabase(async (db) => {
    const [retry, ...others] = await queuedDeliveries(db, activity.id as string);
    assert.equal(others.length, 0);
    assert.equal(retry?.queue, "outbox");
    assert.equal((retry?.message as { attempt: number }).attempt, 1);
    assert.equal((retry?.message as { inbox: string }).inbox, peer.inbox);
    // deliveryRetryPolicy: the first retry waits 30–60 s (60 s with equal jitter) from the refusal, which
    // came after beforeRefusal and before now; bounded from both, so a slow stop and restart cannot fail it.
    const due = retry!.run_at_ms;
    assert.ok(due >= beforeRefusal + 29_000 && due <= Date.now() + 60_000, `retry due ${(due - beforeRefusal) / 1000} s after the node started`);
    await fastForward(db, retry!.id);
  });
  peerDown = false;
  const restarted = await startNodeProcess(home, FEDERATING_ENV);
  const delivered = await peer.waitForDelivery("the retried delivery", (d) => forActivity(activity)(d) && d.status === 202);
  assertSignedByNode(delivered, activity);
  await waitForHealth(restarted, "the queue to drain", (h) => h.queues.outbox!.queued === 0);
  assert.equal(peer.deliveries.filter(forActivity(activity)).length, 3);
  assert.equal(await restarted.stop(), 0, restarted.describe());
});
