import { isDeepStrictEqual } from "node:util";
import type { KvKey } from "@fedify/fedify";

interface Cached {
  readonly value: unknown;
  /** Whether the stored row has no expiry (only then can an identical `set` be skipped). */
  readonly permanent: boolean;
  readonly freshUntil: number;
}

/**
 * A short-lived, per-process memory of KV entries under chosen prefixes, so a delivery does not read
 * the same circuit-breaker state and signature spec from the database several times (bench/
 * federation.ts counted 4 reads and 1 write of fedify_kv per delivery). Only for prefixes where a
 * value a few seconds stale is harmless (caches, the circuit breaker, which re-reads after a failed
 * compare-and-swap); never for nonces or idempotence keys, whose whole point is cross-process truth.
 */
export class KvReadCache {
  readonly #prefixes: readonly string[];
  readonly #ttlMs: number;
  readonly #entries = new Map<string, Cached>();
  readonly #maxEntries: number;

  constructor(prefixes: readonly KvKey[], ttlMs: number, maxEntries = 10_000) {
    // An encoded key starts with its encoded prefix minus the closing bracket.
    this.#prefixes = prefixes.map((prefix) => JSON.stringify(prefix).slice(0, -1));
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  covers(encodedKey: string): boolean {
    return this.#prefixes.some((prefix) => encodedKey.startsWith(`${prefix},`));
  }

  /** `{ value }` when fresh (value may be undefined: "no entry" is remembered too). */
  get(encodedKey: string): { value: unknown } | undefined {
    const entry = this.#entries.get(encodedKey);
    if (entry === undefined) return undefined;
    if (entry.freshUntil <= Date.now()) {
      this.#entries.delete(encodedKey);
      return undefined;
    }
    return { value: structuredClone(entry.value) };
  }

  /** Whether writing `value` without expiry would change nothing we know of. */
  holdsPermanently(encodedKey: string, value: unknown): boolean {
    const entry = this.get(encodedKey);
    return entry !== undefined && this.#entries.get(encodedKey)!.permanent && isDeepStrictEqual(entry.value, value);
  }

  remember(encodedKey: string, value: unknown, expiresAt: number | null): void {
    if (!this.covers(encodedKey)) return;
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    const freshUntil = Math.min(Date.now() + this.#ttlMs, expiresAt ?? Number.POSITIVE_INFINITY);
    this.#entries.set(encodedKey, { value: structuredClone(value), permanent: expiresAt === null, freshUntil });
  }

  forget(encodedKey: string): void {
    this.#entries.delete(encodedKey);
  }
}
