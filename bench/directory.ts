/**
 * Directory benchmark (not a test): search latency on a directory of 100,000 entries from 50 nodes,
 * on PGlite (in memory) and on PostgreSQL, each next to the bare SQL measured in the same run; and the
 * time two nodes take to replicate 10,000 entries.
 *
 * Search: the entries (bench/directory-data.ts: repair cafés, gardens, co-ops… around 50 European
 * cities, seeded so every run and both engines get the same data) are inserted in batches, then
 * `VACUUM ANALYZE`. Then, after 20 unmeasured ones, up to 200 queries of each kind (or 12 s of them,
 * which bounds the run on PGlite): text naming a kind of place, sometimes with a city ("bike kitchen",
 * "repair cafe lyon": broad, each matches thousands of entries), text naming one place ("Tool Library
 * Lyon Harbour"); half of the texts with a typo; tags (one or two); and distance (25 km around a
 * city, nearest first). "ours" is what GET /api/v1/directory does, less reading the charter: zod
 * parsing of the parameters, Kysely building the statements (a page of 30, and the count unless the
 * page carries it; in a transaction setting the word-similarity threshold for texts of three words
 * or more), the driver, and mapping the rows. "bare SQL" runs the very same statements (compiled
 * once beforehand, the same setting included) through the raw driver: `pglite.query` or postgres.js
 * `unsafe` (prepared, as Kysely's dialect does). Ours and bare alternate query by query so neither
 * gets the warmer cache.
 *
 * Replication (bench/directory-replication.ts, in a child process): two real nodes on loopback ports
 * with their queue workers and outbox relay; A lists 10,000 entries, B's admin connects to A, and the
 * time runs until B has stored all of them from A's paged directory collection (signed GETs, one
 * transaction per page of 100, as the peering intake stores them). On PostgreSQL when it is measured,
 * else on PGlite (BENCH_REPLICATION=both: on each).
 *
 *   node bench/directory.ts                 # PGlite only (BENCH_ENTRIES=20000 for a quicker run)
 *   BENCH_ENGINES=postgres BENCH_DATABASE_URL=… node bench/directory.ts   # one engine only
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/directory.ts
 *
 * With BENCH_DATABASE_URL (or TEST_DATABASE_URL) it creates scratch databases next to it, migrates
 * them and drops them at the end (also on Ctrl-C).
 */
import { spawn } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { cube } from "@electric-sql/pglite/contrib/cube";
import { earthdistance } from "@electric-sql/pglite/contrib/earthdistance";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PGliteDialect, sql } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { Database } from "../server/db/database.ts";
import { migrateToLatest } from "../server/db/migrate.ts";
import { textArray } from "../server/modules/directory/directory-entry.ts";
import { searchDirectory, searchStatements, wordSimilarityThreshold } from "../server/modules/directory/directory.queries.ts";
import { directorySearchInput, DirectorySearchSchema } from "../server/modules/directory/directory-search.schema.ts";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../test/helpers/test-database.ts";
import { ALL_TAGS, CITIES, generateEntry, nodeHost, PLACES, seededRandom, withTypo } from "./directory-data.ts";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const NODES = 50;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const WARMUP = 20;
const REPLICATED = Number(process.env.BENCH_REPLICATED ?? 10_000);
const BATCH = 1000;
/** Time allowed per kind of query and engine (ours and bare together), to bound the run on PGlite. */
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 12_000);
const BASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
/** `pglite,postgres` by default; one of them to measure only that engine. */
const ENGINES = (process.env.BENCH_ENGINES ?? "pglite,postgres").split(",");

type Raw = (text: string, parameters: readonly unknown[]) => Promise<unknown[]>;

interface Engine {
  readonly label: string;
  readonly db: Kysely<Database>;
  /** The driver itself, no Kysely: the bare-SQL baseline. */
  raw: Raw;
  /** The same inside one transaction (for a transaction-local setting). */
  inTransaction<T>(work: (raw: Raw) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const scratch: string[] = [];
const INT8_OID = 20;

async function openPglite(): Promise<Engine> {
  const pglite = await PGlite.create("memory://", { extensions: { pg_trgm, cube, earthdistance }, parsers: { [INT8_OID]: (v: string) => Number(v) } });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db);
  return {
    label: "PGlite",
    db,
    raw: async (text, parameters) => (await pglite.query(text, [...parameters])).rows,
    inTransaction: (work) => pglite.transaction((tx) => work(async (text, parameters) => (await tx.query(text, [...parameters])).rows)),
    close: () => db.destroy(),
  };
}

async function openPostgres(baseUrl: string): Promise<Engine> {
  const url = await createScratchPostgresDatabase(baseUrl);
  scratch.push(url);
  const client = postgres(url, { max: 4, onnotice: () => {}, types: { int8: { to: INT8_OID, from: [INT8_OID], serialize: (v: unknown) => String(v), parse: (v: string) => Number(v) } } });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) });
  await migrateToLatest(db);
  const on = (sql: postgres.Sql | postgres.TransactionSql): Raw => async (text, parameters) => [...(await sql.unsafe(text, parameters as postgres.ParameterOrJSON<never>[], { prepare: true }))];
  return {
    label: "PostgreSQL",
    db,
    raw: on(client),
    inTransaction: async (work) => (await client.begin((tx) => work(on(tx)))) as Awaited<ReturnType<typeof work>>,
    close: () => db.destroy(),
  };
}

/** 100,000 entries from 50 nodes, each node a peer we received them from. */
async function seed(engine: Engine): Promise<number> {
  const started = performance.now();
  const peers: number[] = [];
  for (let n = 0; n < NODES; n++) {
    const host = nodeHost(n);
    const row = await engine.db.insertInto("peers").values({ host, actor_iri: `https://${host}/@node`, inbox: `https://${host}/@node/inbox` }).returning("id").executeTakeFirstOrThrow();
    peers.push(row.id);
  }
  const random = seededRandom(42);
  for (let start = 0; start < ENTRIES; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(ENTRIES, start + BATCH); i++) {
      const n = i % NODES;
      const e = generateEntry(random, n, i);
      rows.push({
        iri: e.iri, kind: e.kind, name: e.name, summary: e.summary, tags: textArray(e.tags), location_name: e.locationName, latitude: e.latitude, longitude: e.longitude,
        locality: e.locality, country: e.country, url: e.url, origin: e.origin, origin_host: e.originHost, received_from_peer_id: peers[n]!, hops: 1, max_hops: 1, updated_at: e.updatedAt,
      });
    }
    await engine.db.insertInto("directory_entries").values(rows).execute();
  }
  await sql`VACUUM ANALYZE directory_entries`.execute(engine.db);
  return performance.now() - started;
}

type Kind = "text: a kind" | "text: a name" | "tags" | "distance";

/** The same query parameters for both engines (seeded). */
function queries(kind: Kind, count: number, seed: number): Record<string, string>[] {
  return queryList(kind, count, seed).map((q) => Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)));
}

function queryList(kind: Kind, count: number, seed: number): { q?: string; tags?: string; near?: string; radius_km?: string }[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, () => {
    if (kind === "text: a kind") {
      // Broad: "bike kitchen", "repair cafe lyon" match every entry of that kind (thousands).
      const phrase = pick(PLACES).noun.toLowerCase() + (random() < 0.3 ? ` ${pick(CITIES).name}` : "");
      return { q: random() < 0.5 ? withTypo(random, phrase) : phrase };
    }
    if (kind === "text: a name") {
      // Someone looking for one place they heard of, half the time misspelt.
      const name = generateEntry(random, Math.floor(random() * NODES), 0).name;
      return { q: random() < 0.5 ? withTypo(random, name) : name };
    }
    if (kind === "tags") return { tags: random() < 0.7 ? pick(ALL_TAGS) : `${pick(ALL_TAGS)},${pick(ALL_TAGS)}` };
    const city = pick(CITIES);
    return { near: `${(city.latitude + (random() - 0.5) * 0.1).toFixed(4)},${(city.longitude + (random() - 0.5) * 0.1).toFixed(4)}`, radius_km: "25" };
  });
}

interface Timing {
  readonly ours: number[];
  readonly bare: number[];
  readonly matches: number[];
}

async function measure(engine: Engine, inputs: Record<string, string>[], budgetMs = Number.POSITIVE_INFINITY): Promise<Timing> {
  const timing: Timing = { ours: [], bare: [], matches: [] };
  const started = performance.now();
  for (const [index, input] of inputs.entries()) {
    if (performance.now() - started > budgetMs) break;
    const search = DirectorySearchSchema.parse(directorySearchInput(Object.fromEntries(Object.entries(input).map(([k, v]) => [k, [v]]))));
    const statements = searchStatements(engine.db, search);
    const page = statements.page.compile();
    // Ours runs the count only when the page does not carry it (see searchStatements); so does bare.
    const count = statements.windowed ? undefined : statements.count.compile();
    const ours = async () => {
      const t = performance.now();
      const parsed = DirectorySearchSchema.parse(directorySearchInput(Object.fromEntries(Object.entries(input).map(([k, v]) => [k, [v]]))));
      const result = await searchDirectory(engine.db, parsed);
      timing.ours.push(performance.now() - t);
      timing.matches.push(result.total);
    };
    const threshold = wordSimilarityThreshold(search.text);
    const statementsOn = async (raw: Raw) => {
      if (threshold !== undefined) await raw("SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)", [String(threshold)]);
      const rows = await raw(page.sql, page.parameters);
      if (count !== undefined && (rows.length > 0 || search.page > 1)) await raw(count.sql, count.parameters);
    };
    const bare = async () => {
      const t = performance.now();
      await (threshold === undefined ? statementsOn(engine.raw) : engine.inTransaction(statementsOn));
      timing.bare.push(performance.now() - t);
    };
    if (index % 2 === 0) {
      await ours();
      await bare();
    } else {
      await bare();
      await ours();
    }
  }
  return timing;
}

/** Which indexes the page statement of a sample query uses (EXPLAIN), to show the GiST/GIN paths. */
async function indexesUsed(engine: Engine, input: Record<string, string>): Promise<string> {
  const search = DirectorySearchSchema.parse(directorySearchInput(Object.fromEntries(Object.entries(input).map(([k, v]) => [k, [v]]))));
  const compiled = searchStatements(engine.db, search).page.compile();
  const rows = (await engine.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, compiled.parameters)) as Record<string, unknown>[];
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "Index Name") names.add(String(value));
        walk(typeof value === "string" && key === "QUERY PLAN" ? JSON.parse(value) : value);
      }
    }
  };
  walk(rows);
  return names.size === 0 ? "sequential scan" : [...names].join(", ");
}

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
};
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/**
 * Two real nodes replicating N entries (bench/directory-replication.ts), in a child process whose
 * TEST_DATABASE_URL picks the engine; it prints one JSON line.
 */
async function replicateBetweenNodes(databaseUrl: string | undefined): Promise<string> {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./directory-replication.ts", import.meta.url))], {
    env: { ...process.env, TEST_DATABASE_URL: databaseUrl ?? "", BENCH_REPLICATED: String(REPLICATED) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const line = out.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("{")) return `${databaseUrl ? "PostgreSQL" : "PGlite"}: failed (exit ${code}) ${out.slice(-300)}`;
  const r = JSON.parse(line) as { engine: string; entries: number; ms: number; firstMs: number };
  const label = r.engine === "postgres" ? "PostgreSQL" : "PGlite";
  return `${label.padEnd(10)}  ${r.entries} entries in ${(r.ms / 1000).toFixed(1)} s (${Math.round((r.entries * 1000) / r.ms)} entries/s, ${ms(r.ms / r.entries)} ms each); the first arrived after ${(r.firstMs / 1000).toFixed(1)} s`;
}

async function runEngine(open: () => Promise<Engine>): Promise<{ search: string[][]; plans: string[] }> {
  const engine = await open();
  try {
    const seedMs = await seed(engine);
    console.log(`${engine.label}: ${ENTRIES} entries from ${NODES} nodes inserted and analysed in ${(seedMs / 1000).toFixed(1)} s`);
    const kinds: [Kind, number][] = [["text: a kind", 1], ["text: a name", 4], ["tags", 2], ["distance", 3]];
    const search: string[][] = [];
    const plans: string[] = [];
    for (const [kind, seedValue] of kinds) {
      const inputs = queries(kind, WARMUP + QUERIES, seedValue);
      await measure(engine, inputs.slice(0, WARMUP));
      const t = await measure(engine, inputs.slice(WARMUP), BUDGET_MS);
      const meanMatches = Math.round(t.matches.reduce((a, b) => a + b, 0) / t.matches.length);
      search.push([engine.label, kind, String(t.ours.length), ms(quantile(t.ours, 0.5)), ms(quantile(t.ours, 0.95)), ms(quantile(t.bare, 0.5)), ms(quantile(t.bare, 0.95)), String(meanMatches)]);
      plans.push(`${engine.label} ${kind}: ${await indexesUsed(engine, inputs[WARMUP]!)}`);
    }
    return { search, plans };
  } finally {
    await engine.close();
  }
}

async function dropScratch(): Promise<void> {
  for (const url of scratch.splice(0)) await dropScratchPostgresDatabase(BASE_URL!, url);
}

process.once("SIGINT", () => {
  void dropScratch().finally(() => process.exit(130));
});

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Directory search and replication (${cpus().length} cores, availableParallelism ${availableParallelism()}, ${cpus()[0]?.model ?? "unknown CPU"}; Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
  const results = [];
  if (ENGINES.includes("pglite")) results.push(await runEngine(openPglite));
  if (BASE_URL !== undefined && ENGINES.includes("postgres")) results.push(await runEngine(() => openPostgres(BASE_URL)));
  else console.log("PostgreSQL: not measured (set BENCH_DATABASE_URL or TEST_DATABASE_URL)");

  const headers = ["engine", "query", "queries", "ours p50", "ours p95", "bare p50", "bare p95", "matches (mean)"];
  const rows = results.flatMap((r) => r.search);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`\nSearch latency (ms; up to ${QUERIES} queries of each kind, or ${BUDGET_MS / 1000} s of them, after ${WARMUP} unmeasured; a page of 30 and the total count)`);
  console.log([line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n"));
  console.log(`\nIndexes the page statement uses (EXPLAIN of the first measured query):\n  ${results.flatMap((r) => r.plans).join("\n  ")}`);
  // Replication takes a minute or more per engine: on PostgreSQL (the production engine) when it is
  // measured, else on PGlite; BENCH_REPLICATION=both runs it on each.
  const replicationEngines = BASE_URL === undefined ? [undefined] : process.env.BENCH_REPLICATION === "both" ? [undefined, BASE_URL] : [BASE_URL];
  console.log(`\nReplication between two nodes (B connects to A and backfills A's ${REPLICATED} listings over loopback HTTP, signed GETs, one transaction per entry):`);
  for (const url of replicationEngines) console.log(await replicateBetweenNodes(url));
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(" ")} (other work on the machine skews the figures)`);
}

try {
  await main();
} finally {
  await dropScratch();
}
