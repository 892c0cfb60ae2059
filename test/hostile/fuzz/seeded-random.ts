/**
 * A small seeded PRNG (mulberry32) so a fuzz run can be replayed exactly: the same seed gives the
 * same inputs. Each route gets its own stream, derived from the seed and the route's name, so a run
 * narrowed to one route (FUZZ_ONLY) still sends that route the inputs of the full run.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number, stream = ""): Random {
  let state = (seed ^ hashString(stream)) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  return { next, below, pick: (items) => items[below(items.length)]!, chance: (p) => next() < p };
}

/** FNV-1a: a stable 32-bit hash of a route's name. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** FUZZ_SEED when given (so a failure can be replayed), else a fresh one to print. */
export function fuzzSeed(env: string | undefined): number {
  if (env !== undefined && env !== "") {
    const seed = Number(env);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(env)}`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 32);
}
