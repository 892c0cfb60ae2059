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
import type { SecretBox } from "../platform/secret-box.ts";
import { durationToMs } from "./duration.ts";
import { idleUntilWoken, wakeIdleWorkers } from "./idle-workers.ts";
import { openMessage, sealMessage } from "./sealed-message.ts";
import { TurnBatcher } from "./turn-batcher.ts";

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
   * Messages a worker claims in one statement (and handles one after another). The statement also
   * deletes the messages the worker finished since its last claim, so a busy queue costs about one
   * statement per message instead of two; a crash repeats at most this many finished messages.
   */
  readonly claimBatch?: number;
  /**
   * Seals messages at rest. Fedify puts the sender's private keys (as JWK) into every queued
   * delivery, which would undo sealing them in actor_keys for as long as a delivery waits.
   */
  readonly box?: Pick<SecretBox, "seal" | "open">;
}

interface ClaimedMessage {
  readonly id: number;
  readonly message: unknown;
  readonly attempts: number;
}

interface PendingEnqueue {
  readonly messages: readonly unknown[];
  readonly orderingKey: string | null;
  readonly delaySeconds: number;
}

/** Rows per INSERT: 4 parameters each, far below PostgreSQL's 65,535, and statements of a few MB. */
const INSERT_CHUNK = 500;

const logger = getLogger(["commonsnet", "queue"]);
const ANALYZE_AFTER_ROWS = 200;
let enqueuedSinceAnalyze = 0;
let lastAnalyzeAt = 0;

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
  readonly #claimBatch: number;
  /** Ids (which ordering keys follow) keep the order of enqueue calls: the batcher flushes in turn. */
  readonly #enqueues = new TurnBatcher<PendingEnqueue>((batch) => this.#insert(batch));
  readonly #workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

  constructor(db: Db, options: KyselyMessageQueueOptions = {}) {
    this.#db = db;
    this.#queue = options.queue ?? "default";
    this.#workers = options.workers ?? 4;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#leaseSeconds = options.leaseSeconds ?? 60;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#box = options.box;
    this.#claimBatch = Math.max(1, options.claimBatch ?? 4);
  }

  get name(): string {
    return this.#queue;
  }

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.enqueueMany([message], options);
  }

  /**
   * Enqueues made in the same turn of the event loop share one INSERT: Fedify enqueues each delivery
   * of a fan-out with its own call (one per inbox when there is an ordering key), which was one
   * statement and one commit each. Resolves once the rows are committed.
   */
  enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return this.#enqueues.add({ messages, orderingKey: options?.orderingKey ?? null, delaySeconds: durationToMs(options?.delay) / 1000 });
  }

  async #insert(batch: readonly PendingEnqueue[]): Promise<void> {
    const rows = batch.flatMap((pending) =>
      pending.messages.map((message) => ({
        queue: this.#queue,
        message: jsonb(sealMessage(this.#box, message)),
        ordering_key: pending.orderingKey,
        run_at: sql<Date>`now() + make_interval(secs => ${pending.delaySeconds}::float8)`,
      })),
    );
    // One statement keeps a batch's ids in order; several chunks share a transaction so all or none land.
    if (rows.length <= INSERT_CHUNK) await this.#db.insertInto("fedify_queue").values(rows).execute();
    else {
      await this.#db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto("fedify_queue").values(rows.slice(i, i + INSERT_CHUNK)).execute();
      });
    }
    enqueuedSinceAnalyze += rows.length;
    if (enqueuedSinceAnalyze >= ANALYZE_AFTER_ROWS) this.#refreshStatistics();
    wakeIdleWorkers(this.#queue, Math.ceil(rows.length / this.#claimBatch));
    for (const pending of batch) {
      if (pending.delaySeconds > 0) setTimeout(() => wakeIdleWorkers(this.#queue, pending.messages.length), pending.delaySeconds * 1000 + 5).unref();
    }
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

  /**
   * One worker: claim a few messages (deleting those it finished before, in the same statement),
   * handle them one after another; sleep until woken or the poll interval passes when idle.
   */
  async #workLoop(handler: (message: any) => Promise<void> | void, signal: AbortSignal): Promise<void> {
    let finished: number[] = [];
    while (!signal.aborted) {
      let batch: ClaimedMessage[] = [];
      try {
        batch = await this.#finishAndClaim(finished);
        finished = [];
      } catch (error) {
        if (signal.aborted) break;
        logger.error("Claiming from queue {queue} failed: {error}", { queue: this.#queue, error });
      }
      if (batch.length === 0) {
        await idleUntilWoken(this.#queue, this.#pollIntervalMs, signal);
        continue;
      }
      const held = new Set(batch.map((claimed) => claimed.id));
      const renew = setInterval(() => void this.#renewLeases([...held, ...finished]), (this.#leaseSeconds * 1000) / 3);
      try {
        for (const claimed of batch) {
          if (signal.aborted) {
            await this.#release([...held]);
            break;
          }
          // Claimed more often than allowed without ever finishing: its handler keeps killing the worker
          // (out of memory, say). Set it aside instead of crashing every worker that takes it.
          if (claimed.attempts > this.#maxAttempts) await this.#fail(claimed, new Error("the worker died while handling this message on every attempt"));
          else if (await this.#run(claimed, handler)) finished.push(claimed.id);
          held.delete(claimed.id);
        }
      } finally {
        clearInterval(renew);
      }
    }
    if (finished.length > 0) {
      await this.#db
        .deleteFrom("fedify_queue")
        .where("id", "in", finished)
        .execute()
        .catch((error: unknown) => logger.error("Could not delete finished messages {ids}: {error}", { ids: finished, error }));
    }
  }

  /** Whether the handler succeeded; a failure is recorded (retry later, or dead-letter). */
  async #run(claimed: ClaimedMessage, handler: (message: any) => Promise<void> | void): Promise<boolean> {
    try {
      await handler(openMessage(this.#box, claimed.message));
      return true;
    } catch (error) {
      await this.#fail(claimed, error).catch((e: unknown) =>
        logger.error("Could not record failure of message {id}: {error}", { id: claimed.id, error: e }),
      );
      return false;
    }
  }

  /**
   * Deletes the finished messages and claims up to `claimBatch` ready ones, in one statement (a
   * data-modifying CTE runs to completion whether or not the query reads it). Only the oldest message
   * of an ordering key is eligible, so one batch never holds two of the same key.
   */
  async #finishAndClaim(finished: readonly number[]): Promise<ClaimedMessage[]> {
    const done = finished.length === 0 ? sql`false` : sql`id IN (${sql.join(finished)})`;
    const { rows } = await sql<ClaimedMessage>`
      WITH finished AS (DELETE FROM fedify_queue WHERE ${done})
      UPDATE fedify_queue
         SET locked_until = now() + make_interval(secs => ${this.#leaseSeconds}::float8),
             locked_by = ${this.#workerId},
             attempts = attempts + 1
       WHERE id IN (
         SELECT q.id FROM fedify_queue q
          WHERE q.queue = ${this.#queue}
            AND q.run_at <= now()
            AND (q.locked_until IS NULL OR q.locked_until < now())
            AND (q.ordering_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM fedify_queue e
                   WHERE e.queue = q.queue AND e.ordering_key = q.ordering_key AND e.id < q.id))
          ORDER BY q.run_at, q.id
          FOR UPDATE SKIP LOCKED
          LIMIT ${this.#claimBatch})
      RETURNING id, message, attempts`.execute(this.#db);
    return rows.map((row) => ({ ...row, id: Number(row.id) })).sort((a, b) => a.id - b.id);
  }

  async #renewLeases(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#db
      .updateTable("fedify_queue")
      .set({ locked_until: sql<Date>`now() + make_interval(secs => ${this.#leaseSeconds}::float8)` })
      .where("id", "in", ids)
      .where("locked_by", "=", this.#workerId)
      .execute()
      .catch((error: unknown) => logger.warn("Lease renewal for messages {ids} failed: {error}", { ids, error }));
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

  /** Gives messages claimed but not started at shutdown back, as if they had never been claimed. */
  async #release(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#db
      .updateTable("fedify_queue")
      .set({ locked_until: null, locked_by: null, attempts: sql<number>`attempts - 1` })
      .where("id", "in", ids)
      .where("locked_by", "=", this.#workerId)
      .execute()
      .catch((error: unknown) => logger.warn("Could not release messages {ids}: {error}", { ids, error }));
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
}
