import { hostname } from "node:os";
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { jsonb } from "../db/json.ts";
import type { SecretBox } from "../secret-box.ts";
import { durationToMs } from "./duration.ts";

export interface KyselyMessageQueueOptions {
  /** Name of this queue inside the shared table (inbox, outbox, fanout…). */
  readonly queue?: string;
  /** Concurrent handlers per `listen()` call (per process). */
  readonly workers?: number;
  /** How often idle workers look for work enqueued by other processes. */
  readonly pollIntervalMs?: number;
  /** A claimed message returns to the queue if its worker stops renewing the lease (crash, kill -9). */
  readonly leaseSeconds?: number;
  /** A handler that throws this many times moves the message to `<queue>:dead`, kept for inspection. */
  readonly maxAttempts?: number;
  /**
   * Seals messages at rest. Fedify puts the sender's private keys (as JWK) into every queued
   * delivery, which would undo sealing them in actor_keys for as long as a delivery waits.
   */
  readonly box?: Pick<SecretBox, "seal" | "open">;
}

/** How a sealed message is stored in the jsonb column. */
interface SealedMessage {
  readonly $sealed: string;
}

interface ClaimedMessage {
  readonly id: number;
  readonly message: unknown;
  readonly attempts: number;
}

const logger = getLogger(["commonsnet", "queue"]);
/** Wakes idle workers in this process at once when something is enqueued here. */
const idleWorkers = new Map<string, Set<() => void>>();
const ANALYZE_AFTER_ROWS = 200;
let enqueuedSinceAnalyze = 0;
let lastAnalyzeAt = 0;

/** Wakes as many idle workers of a queue as there are new messages (not all of them: each would claim). */
function wakeIdleWorkers(queue: string, count: number): void {
  const idle = idleWorkers.get(queue);
  if (idle === undefined) return;
  for (const wake of [...idle].slice(0, count)) wake();
}

/**
 * Fedify's message queue on our database: at-least-once delivery. A worker claims a row with a lease
 * (`FOR UPDATE SKIP LOCKED`, no long transaction), runs the handler, and deletes the row only after the
 * handler succeeds; a killed worker's lease lapses and another worker takes the message. Messages that
 * share an ordering key run one at a time, oldest first.
 */
export class KyselyMessageQueue implements MessageQueue {
  /** Fedify applies its own retry policy (with our 72-hour schedule) by re-enqueueing with a delay. */
  readonly nativeRetrial = false;
  readonly #db: Db;
  readonly #queue: string;
  readonly #workers: number;
  readonly #pollIntervalMs: number;
  readonly #leaseSeconds: number;
  readonly #maxAttempts: number;
  readonly #box: KyselyMessageQueueOptions["box"];
  readonly #workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

  constructor(db: Db, options: KyselyMessageQueueOptions = {}) {
    this.#db = db;
    this.#queue = options.queue ?? "default";
    this.#workers = options.workers ?? 4;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#leaseSeconds = options.leaseSeconds ?? 60;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#box = options.box;
  }

  get name(): string {
    return this.#queue;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const delaySeconds = durationToMs(options?.delay) / 1000;
    // One statement keeps the batch's ids in order, which ordering keys rely on.
    await this.#db
      .insertInto("fedify_queue")
      .values(
        messages.map((message) => ({
          queue: this.#queue,
          message: jsonb(this.#box ? ({ $sealed: this.#box.seal(JSON.stringify(message)) } satisfies SealedMessage) : message),
          ordering_key: options?.orderingKey ?? null,
          run_at: sql<Date>`now() + make_interval(secs => ${delaySeconds}::float8)`,
        })),
      )
      .execute();
    enqueuedSinceAnalyze += messages.length;
    if (enqueuedSinceAnalyze >= ANALYZE_AFTER_ROWS) this.#refreshStatistics();
    wakeIdleWorkers(this.#queue, messages.length);
    if (delaySeconds > 0) setTimeout(() => wakeIdleWorkers(this.#queue, messages.length), delaySeconds * 1000 + 5).unref();
  }

  async listen(handler: (message: any) => Promise<void> | void, options: MessageQueueListenOptions = {}): Promise<void> {
    const signal = options.signal ?? new AbortController().signal;
    const loops = Array.from({ length: this.#workers }, () => this.#workLoop(handler, signal));
    await Promise.all(loops);
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const row = await this.#db
      .selectFrom("fedify_queue")
      .select([
        (eb) => eb.fn.countAll<number>().as("queued"),
        sql<number>`count(*) FILTER (WHERE run_at <= now())`.as("ready"),
        sql<number>`count(*) FILTER (WHERE run_at > now())`.as("delayed"),
      ])
      .where("queue", "=", this.#queue)
      .executeTakeFirstOrThrow();
    return { queued: Number(row.queued), ready: Number(row.ready), delayed: Number(row.delayed) };
  }

  /** One worker: claim, handle, delete; sleep until woken or the poll interval passes when idle. */
  async #workLoop(handler: (message: any) => Promise<void> | void, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let claimed: ClaimedMessage | undefined;
      try {
        claimed = await this.#claim();
      } catch (error) {
        if (signal.aborted) break;
        logger.error("Claiming from queue {queue} failed: {error}", { queue: this.#queue, error });
      }
      if (claimed === undefined) {
        await this.#idle(signal);
        continue;
      }
      if (signal.aborted) {
        await this.#release(claimed);
        break;
      }
      // Claimed more often than allowed without ever finishing: its handler keeps killing the worker
      // (out of memory, say). Set it aside instead of crashing every worker that takes it.
      if (claimed.attempts > this.#maxAttempts) {
        await this.#fail(claimed, new Error("the worker died while handling this message on every attempt"));
        continue;
      }
      await this.#run(claimed, handler);
    }
  }

  async #run(claimed: ClaimedMessage, handler: (message: any) => Promise<void> | void): Promise<void> {
    const renew = setInterval(() => void this.#renewLease(claimed.id), (this.#leaseSeconds * 1000) / 3);
    try {
      await handler(this.#unseal(claimed.message));
      clearInterval(renew);
      await this.#db.deleteFrom("fedify_queue").where("id", "=", claimed.id).execute();
    } catch (error) {
      clearInterval(renew);
      await this.#fail(claimed, error).catch((e: unknown) =>
        logger.error("Could not record failure of message {id}: {error}", { id: claimed.id, error: e }),
      );
    }
  }

  async #claim(): Promise<ClaimedMessage | undefined> {
    const { rows } = await sql<ClaimedMessage>`
      UPDATE fedify_queue
         SET locked_until = now() + make_interval(secs => ${this.#leaseSeconds}::float8),
             locked_by = ${this.#workerId},
             attempts = attempts + 1
       WHERE id = (
         SELECT q.id FROM fedify_queue q
          WHERE q.queue = ${this.#queue}
            AND q.run_at <= now()
            AND (q.locked_until IS NULL OR q.locked_until < now())
            AND (q.ordering_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM fedify_queue e
                   WHERE e.queue = q.queue AND e.ordering_key = q.ordering_key AND e.id < q.id))
          ORDER BY q.run_at, q.id
          FOR UPDATE SKIP LOCKED
          LIMIT 1)
      RETURNING id, message, attempts`.execute(this.#db);
    return rows[0];
  }

  async #renewLease(id: number): Promise<void> {
    await this.#db
      .updateTable("fedify_queue")
      .set({ locked_until: sql<Date>`now() + make_interval(secs => ${this.#leaseSeconds}::float8)` })
      .where("id", "=", id)
      .where("locked_by", "=", this.#workerId)
      .execute()
      .catch((error: unknown) => logger.warn("Lease renewal for message {id} failed: {error}", { id, error }));
  }

  /**
   * A burst of enqueues (a fan-out) leaves the planner's statistics stale; with them it reads every
   * ready row and checks the ordering key for each, so claims grow with the queue's depth (bench/
   * federation.ts measured 5x per claim at 1,000 rows on PGlite, which has no autovacuum). Fresh
   * statistics let it walk the (queue, run_at, id) index and stop at the first eligible row.
   */
  #refreshStatistics(): void {
    const now = Date.now();
    if (now - lastAnalyzeAt < 5_000) return;
    lastAnalyzeAt = now;
    enqueuedSinceAnalyze = 0;
    void sql`ANALYZE fedify_queue`.execute(this.#db).catch((error: unknown) => logger.debug("ANALYZE fedify_queue failed: {error}", { error }));
  }

  #unseal(stored: unknown): unknown {
    const sealed = (stored as Partial<SealedMessage> | null)?.$sealed;
    if (typeof sealed !== "string") return stored;
    if (!this.#box) throw new Error("A sealed message needs the node secret to open");
    return JSON.parse(this.#box.open(sealed));
  }

  /** Gives a message claimed during shutdown back, as if it had never been claimed. */
  async #release(claimed: ClaimedMessage): Promise<void> {
    await this.#db
      .updateTable("fedify_queue")
      .set({ locked_until: null, locked_by: null, attempts: sql<number>`attempts - 1` })
      .where("id", "=", claimed.id)
      .where("locked_by", "=", this.#workerId)
      .execute()
      .catch((error: unknown) => logger.warn("Could not release message {id}: {error}", { id: claimed.id, error }));
  }

  async #fail(claimed: ClaimedMessage, error: unknown): Promise<void> {
    const dead = claimed.attempts >= this.#maxAttempts;
    const backoffSeconds = Math.min(2 ** claimed.attempts, 3600);
    logger.warn("Handler failed for message {id} in {queue} (attempt {attempts}){dead}: {error}", {
      id: claimed.id,
      queue: this.#queue,
      attempts: claimed.attempts,
      dead: dead ? ", moved to the dead-letter queue" : "",
      error,
    });
    await this.#db
      .updateTable("fedify_queue")
      .set({
        queue: dead ? `${this.#queue}:dead` : this.#queue,
        locked_until: null,
        locked_by: null,
        last_error: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000),
        run_at: sql<Date>`now() + make_interval(secs => ${backoffSeconds}::float8)`,
      })
      .where("id", "=", claimed.id)
      // If our lease lapsed and another worker holds the message now, its claim stands.
      .where("locked_by", "=", this.#workerId)
      .execute();
  }

  #idle(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    let idle = idleWorkers.get(this.#queue);
    if (idle === undefined) idleWorkers.set(this.#queue, (idle = new Set()));
    const workers = idle;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        workers.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, this.#pollIntervalMs);
      workers.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
