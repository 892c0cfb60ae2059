import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { KyselyMessageQueue } from "../../server/queue/kysely-message-queue.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

async function until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test(`a fan-out's enqueues made in one turn are stored in call order and each ordering key keeps it, on ${ENGINE_LABEL}`, async () => {
  const queue = new KyselyMessageQueue(database.db, { queue: "fanout-order", workers: 4, claimBatch: 4, pollIntervalMs: 50 });
  // As Fedify forwards to many inboxes: one enqueue call per message, all before the first await.
  const calls = Array.from({ length: 120 }, (_, i) => queue.enqueue({ i, key: `k${i % 3}` }, { orderingKey: `k${i % 3}` }));
  await Promise.all(calls);
  const rows = await database.db.selectFrom("fedify_queue").select(["id", "ordering_key"]).where("queue", "=", "fanout-order").orderBy("id").execute();
  assert.equal(rows.length, 120);
  assert.deepEqual(rows.map((r) => r.ordering_key), Array.from({ length: 120 }, (_, i) => `k${i % 3}`), "ids follow the order of the calls");

  const seen: { i: number; key: string }[] = [];
  const controller = new AbortController();
  const listening = queue.listen(async (message: { i: number; key: string }) => {
    await sleep(message.i % 7); // uneven handlers, so workers would overtake each other without the key
    seen.push(message);
  }, { signal: controller.signal });
  try {
    await until("every message", () => seen.length === 120);
  } finally {
    // Also on a timeout: a listener left polling keeps the file's process alive until the runner gives up.
    controller.abort();
    await listening;
  }
  for (const key of ["k0", "k1", "k2"]) {
    const order = seen.filter((m) => m.key === key).map((m) => m.i);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `${key} handled in enqueue order`);
  }
  assert.equal(new Set(seen.map((m) => m.i)).size, 120, "each exactly once");
  const left = await database.db.selectFrom("fedify_queue").select("id").where("queue", "=", "fanout-order").execute();
  assert.deepEqual(left, [], "finished messages are deleted, the last ones when listening stops");
});

test(`a failed batch insert rejects every enqueue in it and stores none of them, on ${ENGINE_LABEL}`, async () => {
  const queue = new KyselyMessageQueue(database.db, { queue: "fanout-fail" });
  // A lone surrogate cannot be stored in jsonb: the whole INSERT fails.
  const results = await Promise.allSettled([queue.enqueue({ ok: 1 }), queue.enqueue({ bad: "\ud800" }), queue.enqueue({ ok: 2 })]);
  assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected", "rejected"]);
  const rows = await database.db.selectFrom("fedify_queue").select("id").where("queue", "=", "fanout-fail").execute();
  assert.deepEqual(rows, []);
  await queue.enqueue({ ok: 3 });
  const after = await database.db.selectFrom("fedify_queue").select("message").where("queue", "=", "fanout-fail").execute();
  assert.deepEqual(after.map((r) => r.message), [{ ok: 3 }], "the next enqueue is not affected");
});
