import { isDeepStrictEqual } from "node:util";
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { sql } from "kysely";
import type { Db, DbOrTrx } from "../db/database.ts";
import { jsonb } from "../db/json.ts";
import { durationToMs } from "./duration.ts";
import { KvReadCache } from "./kv-read-cache.ts";

/** Keys are stored as their JSON encoding, so a prefix of the array is a prefix of the text. */
const encodeKey = (key: KvKey): string => JSON.stringify(key);

export interface KyselyKvStoreOptions {
  /** Prefixes whose entries this process may serve from memory for `cacheMs` (see KvReadCache). */
  readonly cachedPrefixes?: readonly KvKey[];
  readonly cacheMs?: number;
}

/**
 * Fedify's key-value store on our database (PGlite or PostgreSQL): caches, signature nonces and the
 * outbound circuit breaker state. Implements `cas` so the circuit breaker and nonce checks are atomic
 * across several worker processes.
 */
export class KyselyKvStore implements KvStore {
  readonly #db: Db;
  readonly #cache: KvReadCache;

  constructor(db: Db, options: KyselyKvStoreOptions = {}) {
    this.#db = db;
    this.#cache = new KvReadCache(options.cachedPrefixes ?? [], options.cacheMs ?? 2000);
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const encoded = encodeKey(key);
    const cached = this.#cache.get(encoded);
    if (cached !== undefined) return cached.value as T | undefined;
    const row = await this.#db
      .selectFrom("fedify_kv")
      .select(["value", sql<number | null>`(extract(epoch from expires_at) * 1000)::float8`.as("expires_ms")])
      .where("key", "=", encoded)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", sql<Date>`now()`)]))
      .executeTakeFirst();
    this.#cache.remember(encoded, row?.value, row?.expires_ms ?? null);
    return row?.value as T | undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    // Storing undefined means "no value": JSON has no undefined, and get must return undefined.
    if (value === undefined) return await this.delete(key);
    const encoded = encodeKey(key);
    // Fedify re-stores the same signature spec after every delivery: skip a write that changes nothing.
    if (options?.ttl === undefined && this.#cache.holdsPermanently(encoded, value)) return;
    this.#cache.forget(encoded);
    await writeValue(this.#db, encoded, value, options);
    if (options?.ttl === undefined) this.#cache.remember(encoded, value, null);
  }

  async delete(key: KvKey): Promise<void> {
    const encoded = encodeKey(key);
    this.#cache.forget(encoded);
    await this.#db.deleteFrom("fedify_kv").where("key", "=", encoded).execute();
  }

  /** Compare-and-swap; `newValue === undefined` deletes. A missing or expired entry equals `undefined`. */
  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const encoded = encodeKey(key);
    // Whatever the outcome, the next read goes to the database: a failed swap means our memory was stale.
    this.#cache.forget(encoded);
    return await this.#db.transaction().execute(async (trx) => {
      // The advisory lock serialises CAS on a key that has no row yet (FOR UPDATE cannot lock nothing).
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${encoded}, 0))`.execute(trx);
      const row = await trx
        .selectFrom("fedify_kv")
        .select(["value", sql<boolean>`expires_at IS NULL OR expires_at > now()`.as("live")])
        .where("key", "=", encoded)
        .forUpdate()
        .executeTakeFirst();
      const live = row !== undefined && row.live;
      if (!isDeepStrictEqual(live ? row.value : undefined, expectedValue)) return false;
      if (newValue === undefined) await trx.deleteFrom("fedify_kv").where("key", "=", encoded).execute();
      else await writeValue(trx, encoded, newValue, options);
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    let query = this.#db
      .selectFrom("fedify_kv")
      .select(["key", "value"])
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", sql<Date>`now()`)]));
    if (prefix !== undefined && prefix.length > 0) {
      const exact = encodeKey(prefix);
      const like = `${escapeLike(exact.slice(0, -1))},%`;
      query = query.where((eb) => eb.or([eb("key", "=", exact), eb("key", "like", sql<string>`${like} ESCAPE '\\'`)]));
    }
    const rows = await query.orderBy("key").execute();
    for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: row.value };
  }

  /** Removes expired entries; the worker calls it now and then. */
  async sweep(): Promise<number> {
    const result = await this.#db.deleteFrom("fedify_kv").where("expires_at", "<=", sql<Date>`now()`).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

async function writeValue(db: DbOrTrx, key: string, value: unknown, options?: KvStoreSetOptions): Promise<void> {
  const ttlMs = options?.ttl === undefined ? undefined : durationToMs(options.ttl);
  // The database clock decides expiry, so processes on several machines agree.
  const expiresAt = ttlMs === undefined ? null : sql<Date>`now() + make_interval(secs => ${ttlMs / 1000}::float8)`;
  await db
    .insertInto("fedify_kv")
    .values({ key, value: jsonb(value ?? null), expires_at: expiresAt })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: jsonb(value ?? null), expires_at: expiresAt }))
    .execute();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
