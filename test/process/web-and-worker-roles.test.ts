import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, test } from "node:test";
import { commitWithActivities } from "../../server/modules/outbox/commit-with-activities.ts";
import { createFakePeer, type FakePeer } from "../helpers/fake-peer.ts";
import { cleanupNodeProcesses, createNodeHome, openHomeDatabase, spawnNodeProcess, startNodeProcess } from "../helpers/node-process.ts";
import { TEST_DATABASE_URL } from "../helpers/test-database.ts";

// NODE_ROLE=web and NODE_ROLE=worker as separate processes on one PostgreSQL, as docker-compose runs
// them: the web process serves and only enqueues, the worker delivers. PGlite serves one process, so
// this needs TEST_DATABASE_URL (CI runs the suite a second time with it).
const needsPostgres = TEST_DATABASE_URL === undefined ? "separate web and worker processes need PostgreSQL (TEST_DATABASE_URL)" : false;

let peer: FakePeer | undefined;
after(async () => {
  await cleanupNodeProcesses();
  await peer?.close();
});

test("a web process and a worker process share one database; the worker delivers what was committed", { skip: needsPostgres, timeout: 120_000 }, async () => {
  peer = await createFakePeer();
  const home = await createNodeHome();
  const env = { NODE_ENV: "test", PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8", SECRET_KEY: randomBytes(32).toString("base64url") };
  const web = await startNodeProcess(home, { ...env, NODE_ROLE: "web" });
  const health = (await (await fetch(`${home.baseUrl}/healthz`)).json()) as { role: string; database: { engine: string; ok: boolean } };
  assert.equal(health.role, "web");
  assert.deepEqual([health.database.engine, health.database.ok], ["postgres", true]);

  // A web process never delivers: the committed row waits for a worker.
  const actor = `${home.baseUrl}/@node`;
  const activity = {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${home.baseUrl}/activities/${randomUUID()}`,
    type: "Create",
    actor,
    to: [peer.actorId],
    object: { id: `${home.baseUrl}/notes/${randomUUID()}`, type: "Note", attributedTo: actor, to: [peer.actorId], content: "hello from the worker", published: new Date().toISOString() },
  };
  const database = await openHomeDatabase(home);
  try {
    await commitWithActivities(database.db, async (_trx, emit) => emit({ sender: "node", recipients: [{ id: peer!.actorId, inbox: peer!.inbox }], activity }));
  } finally {
    await database.close();
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(peer.deliveries.length, 0, "the web process relayed or delivered nothing");

  const worker = spawnNodeProcess(home, { ...env, NODE_ROLE: "worker", PORT: "0" });
  const delivery = await peer.waitForDelivery("the worker's delivery", (d) => d.activityId === activity.id, 60_000);
  assert.equal(delivery.verified, true, worker.describe());
  assert.equal(delivery.keyId, `${actor}#main-key`);
  assert.match(worker.stdout, /worker running/);

  // Both drain and exit cleanly on SIGTERM.
  assert.equal(await worker.stop(), 0, worker.describe());
  assert.equal(await web.stop(), 0, web.describe());
});

test("a worker process on a database initialised with another secret refuses to start", { skip: needsPostgres, timeout: 120_000 }, async () => {
  const home = await createNodeHome();
  const first = await startNodeProcess(home, { SECRET_KEY: randomBytes(32).toString("base64url"), NODE_ROLE: "web" });
  assert.equal(await first.stop(), 0, first.describe());
  const worker = spawnNodeProcess(home, { SECRET_KEY: randomBytes(32).toString("base64url"), NODE_ROLE: "worker" });
  const exit = await worker.exited;
  assert.equal(exit.code, 1, worker.describe());
  assert.match(worker.stderr, /different node secret/);
});
