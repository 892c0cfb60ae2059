/**
 * Queue throughput benchmark (not a test): how many messages per second go from `enqueue` to "seen by
 * the handler" through our Fedify MessageQueue, `KyselyMessageQueue` (server/queue/), on PGlite (in
 * memory) and on PostgreSQL, next to Fedify's `InProcessMessageQueue` measured in the same run as the
 * baseline (an array in memory: the upper bound, with no persistence at all).
 *
 * Each run creates a fresh queue, starts listening, then times from the first enqueue until the handler
 * has seen all N messages (N = 2000 by default; the 2 ms handler gets N/4 to bound the run time).
 * Scenarios (see SCENARIOS): enqueueMany in batches of 100, one enqueue per message (awaited in turn),
 * and batches of 10 taking 10 ordering keys in turn (checked: same-key messages must never overlap or
 * run out of order); with 1 and 8 workers; with a handler that only counts, and with one that awaits
 * 2 ms (simulated I/O, where concurrent workers should pay off). Each cell is the median of 3 runs after a
 * warm-up run of a tenth of the messages. Every run uses a fresh queue and checks that nothing is left.
 * "Workers" for the baseline means that many concurrent `listen()` loops on one InProcessMessageQueue,
 * the closest equivalent of our `workers` option (it keeps its ordering-key guarantee). Caveat: that
 * queue adds an abort listener to the signal on every idle wait and never removes it, and Node's
 * EventTarget looks for duplicates linearly, so where its workers go idle very often (8 workers, single
 * enqueues) it slows down quadratically; any caller that passes a signal (needed to stop it) sees this.
 *
 *   node bench/queue.ts [N]           # or: npm run bench:queue -- [N]   (or env BENCH_MESSAGES=N)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/queue.ts
 *
 * PostgreSQL is measured when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set: the benchmark creates
 * a scratch database next to it, migrates it, and drops it at the end (also on Ctrl-C). Messages are
 * ~1 KB of JSON, sealed with a SecretBox as server/node.ts configures the queues.
 */
import { setMaxListeners } from "node:events";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { InProcessMessageQueue } from "@fedify/fedify";
import type { MessageQueue } from "@fedify/fedify";
import { sql } from "kysely";
import { migrateToLatest } from "../server/db/migrate.ts";
import { type DatabaseHandle, openDatabase } from "../server/db/open-database.ts";
import { KyselyMessageQueue } from "../server/queue/kysely-message-queue.ts";
import { createSecretBox } from "../server/platform/secret-box.ts";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../test/helpers/test-database.ts";

const N = Number(process.argv[2] ?? process.env.BENCH_MESSAGES ?? 2000);
const BASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
const REPEATS = 3;
const BATCH = 100;
const KEYS = 10;
const IO_MS = 2;
const RUN_TIMEOUT_MS = 60_000;
if (!Number.isInteger(N) || N < 1) throw new Error(`N must be a positive integer, got ${process.argv[2] ?? process.env.BENCH_MESSAGES}`);

type Mode = "batch" | "single" | "keys";
interface Scenario {
  readonly mode: Mode;
  readonly workers: number;
  readonly ioMs: number;
  readonly messages: number;
}
interface Message {
  readonly seq: number;
  readonly key?: string;
  readonly body: string;
}
/** One queue implementation: opens a fresh queue for a run and listens with `workers` concurrent loops. */
interface Subject {
  readonly label: string;
  open(workers: number): {
    readonly queue: MessageQueue;
    listen(handler: (m: Message) => Promise<void>, signal: AbortSignal): Promise<void>;
    leftover(): Promise<number>;
  };
}

const BODY = "x".repeat(1000);
/** server/node.ts seals queued messages with the node secret (AES-256-GCM); so does the benchmark. */
const BOX = createSecretBox("bench-only node secret");
const MODE_LABEL: Record<Mode, string> = {
  batch: `enqueueMany ×${BATCH}`,
  single: "enqueue ×1",
  keys: `enqueueMany ×${BATCH / KEYS}, ${KEYS} ordering keys`,
};

const IO_N = Math.ceil(N / 4);
// Ordering keys only matter with concurrent workers; the 2 ms handler is about worker concurrency.
const SCENARIOS: Scenario[] = [
  { mode: "batch", workers: 1, ioMs: 0, messages: N },
  { mode: "batch", workers: 8, ioMs: 0, messages: N },
  { mode: "single", workers: 1, ioMs: 0, messages: N },
  { mode: "single", workers: 8, ioMs: 0, messages: N },
  { mode: "keys", workers: 8, ioMs: 0, messages: N },
  { mode: "batch", workers: 1, ioMs: IO_MS, messages: IO_N },
  { mode: "batch", workers: 8, ioMs: IO_MS, messages: IO_N },
  { mode: "keys", workers: 8, ioMs: IO_MS, messages: IO_N },
];

function inProcessSubject(): Subject {
  return {
    label: "in-process",
    open(workers) {
      const queue = new InProcessMessageQueue();
      return {
        queue,
        listen: async (handler, signal) => {
          await Promise.all(Array.from({ length: workers }, () => queue.listen(handler, { signal })));
        },
        leftover: async () => (await queue.getDepth()).queued,
      };
    },
  };
}

function kyselySubject(label: string, handle: DatabaseHandle): Subject {
  let runs = 0;
  return {
    label,
    open(workers) {
      const name = `bench-${++runs}`;
      const queue = new KyselyMessageQueue(handle.db, { queue: name, workers, box: BOX });
      return {
        queue,
        listen: (handler, signal) => queue.listen(handler, { signal }),
        leftover: async () => (await queue.getDepth()).queued,
      };
    },
  };
}

async function enqueueAll(queue: MessageQueue, mode: Mode, n: number): Promise<void> {
  if (mode === "single") {
    for (let seq = 0; seq < n; seq++) await queue.enqueue({ seq, body: BODY } satisfies Message);
    return;
  }
  // With ordering keys a batch shares one key, so batches are smaller and take the keys in turn.
  const size = mode === "keys" ? BATCH / KEYS : BATCH;
  for (let start = 0, batch = 0; start < n; start += size, batch++) {
    const key = mode === "keys" ? `key-${batch % KEYS}` : undefined;
    const messages: Message[] = [];
    for (let seq = start; seq < Math.min(start + size, n); seq++) messages.push({ seq, key, body: BODY });
    await queue.enqueueMany!(messages, key === undefined ? undefined : { orderingKey: key });
  }
}

/** One timed run; returns messages per second, or throws if the handler did not see every message. */
async function runOnce(subject: Subject, s: Scenario): Promise<number> {
  const { queue, listen, leftover } = subject.open(s.workers);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // InProcessMessageQueue adds an abort listener per idle wait
  const all = Promise.withResolvers<void>();
  let seen = 0;
  let violations = 0;
  const running = new Set<string>();
  const lastSeq = new Map<string, number>();
  const handler = async (m: Message): Promise<void> => {
    if (m.key !== undefined) {
      if (running.has(m.key) || (lastSeq.get(m.key) ?? -1) > m.seq) violations++;
      running.add(m.key);
      lastSeq.set(m.key, m.seq);
    }
    if (s.ioMs > 0) await sleep(s.ioMs);
    if (m.key !== undefined) running.delete(m.key);
    if (++seen === s.messages) all.resolve();
  };
  const listening = listen(handler, controller.signal);
  const start = performance.now();
  const timeout = setTimeout(() => all.reject(new Error(`timed out after ${RUN_TIMEOUT_MS} ms (${seen}/${s.messages} seen)`)), RUN_TIMEOUT_MS);
  let elapsedMs: number;
  try {
    await enqueueAll(queue, s.mode, s.messages);
    await all.promise;
    elapsedMs = performance.now() - start;
  } finally {
    clearTimeout(timeout);
    controller.abort();
    await listening; // workers finish the message in hand (our queue deletes it) and stop
  }
  const left = await leftover();
  if (seen !== s.messages || violations > 0 || left > 0) {
    throw new Error(`${subject.label}: ${seen}/${s.messages} seen, ${violations} ordering violations, ${left} left in queue`);
  }
  return (s.messages * 1000) / elapsedMs;
}

async function measure(subject: Subject, s: Scenario): Promise<number> {
  await runOnce(subject, { ...s, messages: Math.ceil(s.messages / 10) }); // a short warm-up run
  const rates: number[] = [];
  for (let i = 0; i < REPEATS; i++) rates.push(await runOnce(subject, s));
  return rates.sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!;
}

async function openPglite(): Promise<DatabaseHandle> {
  const handle = await openDatabase({ embeddedMemory: true });
  await migrateToLatest(handle.db);
  return handle;
}

async function openScratchPostgres(baseUrl: string): Promise<{ handle: DatabaseHandle; url: string }> {
  const url = await createScratchPostgresDatabase(baseUrl);
  try {
    const handle = await openDatabase({ databaseUrl: url, poolSize: 10 });
    await migrateToLatest(handle.db);
    return { handle, url };
  } catch (error) {
    await dropScratchPostgresDatabase(baseUrl, url);
    throw error;
  }
}

const fmtLoad = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const fmtRate = (r: number) => Math.round(r).toLocaleString("en-US");
const fmtRatio = (r: number) => (r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)) + "×";

function printRow(cells: readonly string[], widths: readonly number[]): void {
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
}

const handles: DatabaseHandle[] = [];
let scratchUrl: string | undefined;
let interrupted = false;
// On Ctrl-C, drop the scratch database (FORCE ends our connections) and leave without waiting for the run.
process.once("SIGINT", () => {
  interrupted = true;
  console.error("\ninterrupted; dropping the scratch database");
  const drop = scratchUrl === undefined ? Promise.resolve() : dropScratchPostgresDatabase(BASE_URL!, scratchUrl);
  void drop.catch((error: unknown) => console.error(`could not drop ${scratchUrl}:`, error)).finally(() => process.exit(130));
});

async function main(): Promise<void> {
  try {
    const subjects: Subject[] = [inProcessSubject()];
    const pglite = await openPglite();
    handles.push(pglite);
    subjects.push(kyselySubject("PGlite (memory)", pglite));
    let pgVersion = "not measured (set BENCH_DATABASE_URL or TEST_DATABASE_URL)";
    if (BASE_URL !== undefined) {
      const { handle, url } = await openScratchPostgres(BASE_URL);
      handles.push(handle);
      scratchUrl = url;
      subjects.push(kyselySubject("PostgreSQL", handle));
      const { rows } = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(handle.db);
      pgVersion = `${rows[0]?.v} at ${handle.location}`;
    }

    const cpu = cpus();
    console.log(`Queue throughput, enqueue → handled (messages/s; higher is better)`);
    console.log(`machine:    ${cpu.length} cores (availableParallelism ${availableParallelism()}), ${cpu[0]?.model ?? "unknown CPU"}, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${process.arch}, load average ${fmtLoad()}`);
    console.log(`runtime:    Node ${process.version}; PostgreSQL ${pgVersion}`);
    console.log(`method:     ${N} messages (${IO_N} with the ${IO_MS} ms handler), ` +
      `median of ${REPEATS} runs after a warm-up; ratio = KyselyMessageQueue ÷ InProcessMessageQueue\n`);

    const label = (s: Scenario) => `${s.ioMs > 0 ? `${IO_MS} ms I/O` : "count"}: ${MODE_LABEL[s.mode]}`;
    const widths = [Math.max(...SCENARIOS.map((s) => label(s).length)), 7, 10, ...subjects.slice(1).flatMap(() => [10, 8])];
    printRow(["scenario", "workers", subjects[0]!.label, ...subjects.slice(1).flatMap((s) => [s.label.split(" ")[0]!, "ratio"])], widths);
    printRow(widths.map((w) => "-".repeat(w)), widths);
    const started = performance.now();
    for (const s of SCENARIOS) {
      const rates: number[] = [];
      for (const subject of subjects) rates.push(await measure(subject, s));
      printRow([label(s), String(s.workers), fmtRate(rates[0]!), ...rates.slice(1).flatMap((r) => [fmtRate(r), fmtRatio(r / rates[0]!)])], widths);
    }
    console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s; load average now ${fmtLoad()} (other work on the machine skews the figures)`);
  } finally {
    for (const handle of handles) await handle.close();
    if (scratchUrl !== undefined) await dropScratchPostgresDatabase(BASE_URL!, scratchUrl);
  }
}

await main().catch((error: unknown) => {
  if (!interrupted) throw error; // else the SIGINT handler exits once the scratch database is gone
});
