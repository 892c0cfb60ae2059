import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { Db } from "../../server/db/database.ts";
import { EmbeddedDatabaseBusyError } from "../../server/db/embedded-lock.ts";
import { type DatabaseHandle, openDatabase } from "../../server/db/open-database.ts";
import { KyselyMessageQueue } from "../../server/queue/kysely-message-queue.ts";
import { migratedPgliteSnapshot } from "../helpers/pglite-snapshot.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

const WORKER_FIXTURE = fileURLToPath(new URL("../fixtures/queue-worker.ts", import.meta.url));
const ONE_HOUR = { delay: { hours: 1 } as unknown as Temporal.Duration };

let database: TestDatabase;
const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await stopListeners();
  await database.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

interface Listener {
  readonly controller: AbortController;
  readonly done: Promise<void>;
  stop(): Promise<void>;
}
const listeners = new Set<Listener>();

/** listen() with its own signal; `after` stops what a failed assertion left running, so the file exits. */
function startListening(queue: KyselyMessageQueue, handler: (message: { id: string }) => Promise<void> | void): Listener {
  const controller = new AbortController();
  const done = queue.listen(handler, { signal: controller.signal });
  const listener = { controller, done, stop: () => (controller.abort(), done) };
  listeners.add(listener);
  return listener;
}

async function stopListeners(): Promise<void> {
  for (const listener of listeners) listener.controller.abort();
  await Promise.race([Promise.allSettled([...listeners].map((l) => l.done)), sleep(5000)]);
  listeners.clear();
}

/** An embedded database directory that does not exist yet, inside a temporary DATA_DIR. */
function tempDataDir(): { dir: string; lock: string } {
  const parent = mkdtempSync(join(tmpdir(), "cn-queue-test-"));
  tempDirs.push(parent);
  // open-database.ts keeps the lock beside PGlite's directory, not inside it.
  return { dir: join(parent, "pgdata"), lock: join(parent, "pgdata.lock") };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function rowsOf(db: Db, queue: string) {
  return await db
    .selectFrom("fedify_queue")
    .select(["id", "queue", "message", "ordering_key", "attempts", "locked_by", "locked_until", "last_error"])
    .select(sql<number>`extract(epoch from run_at - now())::float8`.as("wait_seconds"))
    .where("queue", "=", queue)
    .orderBy("id")
    .execute();
}

/** The row of a message in `queue` once `ready` holds for it. */
function rowWhen(queue: string, id: string, ready: (row: Awaited<ReturnType<typeof rowsOf>>[number]) => boolean) {
  return waitFor(`${id} in ${queue}`, async () =>
    (await rowsOf(database.db, queue)).find((r) => (r.message as { id: string }).id === id && ready(r)),
  );
}

test(`a handler that throws is retried with backoff until it succeeds on ${ENGINE_LABEL}`, { timeout: 30_000 }, async () => {
  const queue = new KyselyMessageQueue(database.db, { queue: "retry", workers: 1, pollIntervalMs: 50 });
  const calls: string[] = [];
  const listener = startListening(queue, (message) => {
    calls.push(message.id);
    if (calls.length < 3) throw new Error(`boom ${calls.length}`);
  });
  await queue.enqueue({ id: "flaky" });
  for (const attempt of [1, 2]) {
    const row = await rowWhen("retry", "flaky", (r) => r.attempts === attempt && r.locked_until === null);
    assert.match(row.last_error ?? "", new RegExp(`^Error: boom ${attempt}\\n`));
    assert.equal(row.locked_by, null);
    // Backoff is 2^attempts seconds; skip the wait to keep the test fast.
    assert.ok(row.wait_seconds > 2 ** attempt - 1 && row.wait_seconds <= 2 ** attempt, `backoff ${row.wait_seconds}s`);
    assert.equal(calls.length, attempt);
    await database.db.updateTable("fedify_queue").set({ run_at: sql<Date>`now()` }).where("id", "=", row.id).execute();
  }
  await waitFor("flaky to be deleted", async () => ((await rowsOf(database.db, "retry")).length === 0 ? true : undefined));
  await listener.stop();
  assert.deepEqual(calls, ["flaky", "flaky", "flaky"]);
  assert.deepEqual(await rowsOf(database.db, "retry:dead"), []);
});

test(`after maxAttempts a message moves to <queue>:dead and stops blocking its ordering key on ${ENGINE_LABEL}`, { timeout: 30_000 }, async () => {
  const queue = new KyselyMessageQueue(database.db, { queue: "ordered", workers: 2, pollIntervalMs: 50, maxAttempts: 2 });
  await queue.enqueue({ id: "poison" }, { orderingKey: "actor-1" });
  await queue.enqueue({ id: "after-poison" }, { orderingKey: "actor-1" });
  await queue.enqueue({ id: "other-key" }, { orderingKey: "actor-2" });
  const handled: string[] = [];
  let failures = 0;
  const listener = startListening(queue, (message) => {
    if (message.id !== "poison") return void handled.push(message.id);
    failures++;
    throw new Error("poison pill");
  });

  const first = await rowWhen("ordered", "poison", (r) => r.attempts === 1 && r.locked_until === null);
  await waitFor("other-key", () => (handled.includes("other-key") ? true : undefined));
  // While the poison message waits for its retry, the next message with its key must wait too.
  await sleep(300);
  assert.deepEqual(handled, ["other-key"]);
  await database.db.updateTable("fedify_queue").set({ run_at: sql<Date>`now()` }).where("id", "=", first.id).execute();

  await waitFor("after-poison", () => (handled.includes("after-poison") ? true : undefined));
  assert.deepEqual(handled, ["other-key", "after-poison"]);
  assert.equal(failures, 2);
  const dead = await rowsOf(database.db, "ordered:dead");
  assert.deepEqual(
    dead.map((r) => [r.id, r.message, r.ordering_key, r.attempts, r.locked_by]),
    [[first.id, { id: "poison" }, "actor-1", 2, null]],
  );
  assert.match(dead[0].last_error ?? "", /^Error: poison pill\n/);
  await waitFor("ordered to drain", async () => ((await rowsOf(database.db, "ordered")).length === 0 ? true : undefined));
  assert.deepEqual(await queue.getDepth(), { queued: 0, ready: 0, delayed: 0 });
  // Nothing listens to the dead-letter queue, even once its run_at passes.
  await database.db.updateTable("fedify_queue").set({ run_at: sql<Date>`now()` }).where("id", "=", first.id).execute();
  await sleep(200);
  await listener.stop();
  assert.equal(failures, 2);
  assert.equal((await rowsOf(database.db, "ordered:dead")).length, 1);
});

test(`getDepth counts queued, ready and delayed messages of its own queue on ${ENGINE_LABEL}`, async () => {
  const queue = new KyselyMessageQueue(database.db, { queue: "depth" });
  assert.deepEqual(await queue.getDepth(), { queued: 0, ready: 0, delayed: 0 });
  await queue.enqueueMany([{ id: "r1" }, { id: "r2" }]);
  await queue.enqueueMany([{ id: "d1" }, { id: "d2" }, { id: "d3" }], ONE_HOUR);
  await new KyselyMessageQueue(database.db, { queue: "depth-other" }).enqueue({ id: "x" });
  await new KyselyMessageQueue(database.db, { queue: "depth:dead" }).enqueue({ id: "y" });
  assert.deepEqual(await queue.getDepth(), { queued: 5, ready: 2, delayed: 3 });
  const delayed = (await rowsOf(database.db, "depth")).filter((r) => r.wait_seconds > 3500);
  assert.deepEqual(delayed.map((r) => r.message), [{ id: "d1" }, { id: "d2" }, { id: "d3" }]);
  await database.db.updateTable("fedify_queue").set({ run_at: sql<Date>`now()` }).where("id", "=", delayed[0].id).execute();
  assert.deepEqual(await queue.getDepth(), { queued: 5, ready: 3, delayed: 2 });
});

test(`aborting listen() waits for the in-flight handler, deletes its message and claims no more on ${ENGINE_LABEL}`, async (t) => {
  const queue = new KyselyMessageQueue(database.db, { queue: "drain", workers: 2, pollIntervalMs: 50 });
  const events: string[] = [];
  const { promise: gate, resolve: release } = Promise.withResolvers<void>();
  const { promise: started, resolve: markStarted } = Promise.withResolvers<void>();
  t.after(() => release());
  const listener = startListening(queue, async (message) => {
    events.push(`start ${message.id}`);
    markStarted();
    await gate;
    events.push(`end ${message.id}`);
  });
  const listening = listener.done.then(() => events.push("listen resolved"));
  await queue.enqueue({ id: "in-flight" });
  await started;
  listener.controller.abort();
  await queue.enqueue({ id: "after-abort" });
  await sleep(300);
  assert.deepEqual(events, ["start in-flight"]);
  const [inFlight] = await rowsOf(database.db, "drain");
  assert.deepEqual(inFlight.message, { id: "in-flight" });
  assert.match(inFlight.locked_by ?? "", new RegExp(`:${process.pid}:`));

  release();
  await listening;
  assert.deepEqual(events, ["start in-flight", "end in-flight", "listen resolved"]);
  const left = await rowsOf(database.db, "drain");
  assert.deepEqual(left.map((r) => [r.message, r.attempts, r.locked_by]), [[{ id: "after-abort" }, 0, null]]);
});

/** Starts the fixture worker and resolves with its pid once it prints `started <id>`. */
async function startDoomedWorker(env: Record<string, string>): Promise<{ child: ChildProcess; startedId: string }> {
  const child = spawn(process.execPath, [WORKER_FIXTURE], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`worker exited early (${code}): ${stderr}`);
  });
  const started = (async () => {
    for await (const line of lines) {
      const match = /^started (\S+) (\d+)$/.exec(line);
      if (match) return { pid: Number(match[2]), id: match[1] };
    }
    throw new Error(`worker closed stdout: ${stderr}`);
  })();
  const result = await Promise.race([started, exited]);
  exited.catch(() => {});
  assert.equal(result.pid, child.pid);
  return { child, startedId: result.id };
}

test(`a message whose worker is killed with SIGKILL mid-handler is handled by the next worker on ${ENGINE_LABEL}`, { timeout: 60_000 }, async () => {
  // PGlite in memory cannot be shared with a child process; an embedded directory can, one process at a time.
  const dir = database.url === undefined ? tempDataDir().dir : undefined;
  let handle: DatabaseHandle = database;
  // Migrated from the snapshot rather than by initdb and every migration: the child only needs the schema.
  if (dir !== undefined) handle = await openDatabase({ embeddedDir: dir, snapshot: await migratedPgliteSnapshot() });
  await new KyselyMessageQueue(handle.db, { queue: "crash" }).enqueue({ id: "crash-1" });
  if (dir !== undefined) await handle.close();

  const { child, startedId } = await startDoomedWorker({
    QUEUE_WORKER_QUEUE: "crash",
    QUEUE_WORKER_LEASE_SECONDS: "2",
    ...(dir === undefined ? { QUEUE_WORKER_DATABASE_URL: database.url! } : { QUEUE_WORKER_EMBEDDED_DIR: dir }),
  });
  assert.equal(startedId, "crash-1");
  const exit = once(child, "exit");
  child.kill("SIGKILL");
  assert.deepEqual(await exit, [null, "SIGKILL"]);

  // The dead worker's pid is still in the embedded lock file; opening must take it over.
  if (dir !== undefined) handle = await openDatabase({ embeddedDir: dir });
  try {
    const [claimed] = await rowsOf(handle.db, "crash");
    assert.equal(claimed.attempts, 1);
    assert.match(claimed.locked_by ?? "", new RegExp(`:${child.pid}:`));

    const handled: { id: string; attempts: number; lockedBy: string | null }[] = [];
    const second = new KyselyMessageQueue(handle.db, { queue: "crash", workers: 1, pollIntervalMs: 50, leaseSeconds: 2 });
    const listener = startListening(second, async (message) => {
      const [row] = await rowsOf(handle.db, "crash");
      handled.push({ id: message.id, attempts: row.attempts, lockedBy: row.locked_by });
    });
    await waitFor("crash-1 to be deleted", async () => ((await rowsOf(handle.db, "crash")).length === 0 ? true : undefined));
    await listener.stop();
    // Handled once, by this process, on the second attempt.
    assert.deepEqual(handled.map((h) => [h.id, h.attempts]), [["crash-1", 2]]);
    assert.match(handled[0].lockedBy ?? "", new RegExp(`:${process.pid}:`));
    assert.deepEqual(await rowsOf(handle.db, "crash:dead"), []);
  } finally {
    await stopListeners();
    if (dir !== undefined) await handle.close();
  }
});

/** Opens `dir` expecting EmbeddedDatabaseBusyError; an open that succeeds is closed so the file still exits. */
async function refusedOpen(dir: string): Promise<EmbeddedDatabaseBusyError> {
  const outcome = await openDatabase({ embeddedDir: dir }).catch((error: unknown) => error);
  if (outcome instanceof EmbeddedDatabaseBusyError) return outcome;
  if (!(outcome instanceof Error)) await (outcome as DatabaseHandle).close();
  assert.fail(`expected EmbeddedDatabaseBusyError, got ${String(outcome)}`);
}

test("a second open of an embedded directory in the same process throws EmbeddedDatabaseBusyError", async () => {
  const { dir, lock } = tempDataDir();
  const first = await openDatabase({ embeddedDir: dir, snapshot: await migratedPgliteSnapshot() });
  try {
    const error = await refusedOpen(dir);
    assert.equal(error.pid, process.pid);
    assert.ok(error.message.includes(`already open by process ${process.pid} (lock ${lock})`), error.message);
    // The failed open must leave the holder's lock and connection alone.
    assert.equal(readFileSync(lock, "utf8"), String(process.pid));
    const { rows } = await sql<{ n: number }>`SELECT 41 + 1 AS n`.execute(first.db);
    assert.deepEqual(rows, [{ n: 42 }]);
  } finally {
    await first.close();
  }
  assert.equal(existsSync(lock), false);
});

test("an embedded lock held by a live process is refused and one left by a dead process is taken over", async () => {
  const { dir, lock } = tempDataDir();
  const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 60_000)"], { stdio: "ignore" });
  children.add(holder);
  const holderExit = once(holder, "exit");
  await once(holder, "spawn");
  writeFileSync(lock, String(holder.pid));
  const error = await refusedOpen(dir);
  assert.equal(error.pid, holder.pid);
  assert.ok(error.message.includes(`already open by process ${holder.pid} (lock ${lock})`), error.message);
  assert.equal(readFileSync(lock, "utf8"), String(holder.pid));

  holder.kill("SIGKILL");
  await holderExit;
  const handle = await openDatabase({ embeddedDir: dir, snapshot: await migratedPgliteSnapshot() });
  try {
    assert.equal(readFileSync(lock, "utf8"), String(process.pid));
  } finally {
    await handle.close();
  }
  assert.equal(existsSync(lock), false);
});
