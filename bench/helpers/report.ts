import type { ProfileSummary, Share } from "./cpu-profile.ts";
import type { DbActivity } from "./db-activity.ts";

/** Plain-text tables and the "where did the time go" summary the benchmark prints. */

/**
 * What CPU alone would allow: the machine's cores shared by the process and the database server, but
 * JavaScript runs on one thread per process, so the process's main-thread work (its CPU minus the
 * signing done on the libuv pool) bounds it too.
 */
export function cpuBoundRate(cores: number, processMs: number, offThreadMs: number, dbServerMs: number | undefined, processes = 1): number {
  const machine = (cores * 1000) / (processMs + (dbServerMs ?? 0));
  const mainThread = (Math.min(processes, cores) * 1000) / Math.max(0.001, processMs - offThreadMs);
  return Math.min(machine, mainThread);
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export const fixed = (value: number | undefined, digits = 1): string => (value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits));
export const percent = (part: number, whole: number): string => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : "–");

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Self-time categories from the profile, gathered into costs one could act on. */
const GROUPS: readonly (readonly [name: string, test: (category: string) => boolean])[] = [
  ["embedded database (PGlite: PostgreSQL in wasm + its JS)", (c) => c.startsWith("@electric-sql/pglite")],
  ["database client (Kysely, postgres.js)", (c) => c === "kysely" || c === "postgres" || c === "kysely-postgres-js"],
  ["JSON-LD processing (jsonld: expand, canonize)", (c) => c === "jsonld" || c === "rdf-canonize"],
  ["Fedify vocabulary (parse/serialise activities)", (c) => c.startsWith("@fedify/vocab")],
  ["Fedify federation core", (c) => c.startsWith("@fedify/")],
  ["crypto on the main thread (JWK key import, AES sealing, ASN.1)", (c) => c === "node crypto" || c === "asn1js" || c === "pkijs"],
  ["HTTP (undici fetch, node http, sockets, Hono)", (c) => /^node (fetch|http|net|web streams)/.test(c) || c === "@hono/node-server" || c === "hono"],
  ["garbage collection", (c) => c.startsWith("GC")],
  ["our code (server/, federation/)", (c) => c.startsWith("commonsnet")],
  ["Temporal polyfill (jsbi)", (c) => c === "@js-temporal/polyfill" || c === "jsbi"],
  ["tracing/logging calls (OpenTelemetry no-op, LogTape)", (c) => c === "@opentelemetry/api" || c === "@logtape/logtape"],
];
const REST = "runtime (promises, timers, V8, other packages)";

export function costGroups(profile: ProfileSummary): Share[] {
  const groups = new Map<string, number>();
  for (const { name, ms } of profile.self) {
    const group = GROUPS.find(([, test]) => test(name))?.[0] ?? REST;
    groups.set(group, (groups.get(group) ?? 0) + ms);
  }
  return [...groups].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

export interface CostInputs {
  /** What one unit is: "delivery", "Like", "Create"; and its plural. */
  readonly unit: string;
  readonly units: string;
  readonly count: number;
  readonly profile: ProfileSummary;
  /** Process CPU per unit of the profiled process. */
  readonly cpuPerUnit: number;
  /** RSA operations per unit that run on the libuv pool (not in main-thread samples), with their baseline cost. */
  readonly offThreadSignatureMs: number;
  readonly offThreadLabel: string;
  readonly dbServerPerUnit: number | undefined;
  readonly db: DbActivity | undefined;
}

export interface Cost {
  readonly name: string;
  readonly msPerUnit: number;
}

/**
 * Main-thread shares scaled to CPU ms per unit (the process's CPU minus the signatures computed on
 * other threads, apportioned by the samples), plus the costs the samples cannot see: signing on the
 * thread pool (count × the baseline) and the PostgreSQL server's CPU.
 */
export function apportion(input: CostInputs): Cost[] {
  const mainThread = Math.max(0, input.cpuPerUnit - input.offThreadSignatureMs);
  const busy = input.profile.busyMs;
  const costs: Cost[] = costGroups(input.profile).map((g) => ({ name: g.name, msPerUnit: busy > 0 ? (g.ms / busy) * mainThread : 0 }));
  if (input.offThreadSignatureMs > 0) costs.push({ name: input.offThreadLabel, msPerUnit: input.offThreadSignatureMs });
  if (input.dbServerPerUnit !== undefined) costs.push({ name: "PostgreSQL server (backend CPU)", msPerUnit: input.dbServerPerUnit });
  return costs.sort((a, b) => b.msPerUnit - a.msPerUnit);
}

const DATABASE_COSTS = new Set([GROUPS[0]![0], GROUPS[1]![0], "PostgreSQL server (backend CPU)"]);

/**
 * The largest cost, counting the database as one: the embedded engine or the server, and the client
 * that talks to it, all shrink together when a unit needs fewer statements.
 */
function largestCost(costs: readonly Cost[]): Cost | undefined {
  const database = costs.filter((c) => DATABASE_COSTS.has(c.name));
  const combined: Cost = {
    name: `database work (${database.map((c) => `${c.name.split(" (")[0]} ${fixed(c.msPerUnit, 2)}`).join(" + ")} ms)`,
    msPerUnit: database.reduce((sum, c) => sum + c.msPerUnit, 0),
  };
  return [combined, ...costs.filter((c) => !DATABASE_COSTS.has(c.name))].sort((a, b) => b.msPerUnit - a.msPerUnit)[0];
}

export function describeCosts(title: string, input: CostInputs): { text: string; largest: string } {
  const costs = apportion(input);
  const total = costs.reduce((sum, c) => sum + c.msPerUnit, 0);
  const lines = [
    `${title}: ${input.count} ${input.units} profiled, ${fixed(input.profile.wallMs / 1000, 1)} s, CPU ${fixed(total, 2)} ms per ${input.unit} (process${input.dbServerPerUnit === undefined ? "" : " + database server"})`,
    table(
      ["cost", `≈ ms CPU / ${input.unit}`, "share"],
      costs.filter((c) => c.msPerUnit >= total * 0.01).map((c) => [c.name, fixed(c.msPerUnit, 2), percent(c.msPerUnit, total)]),
    ),
  ];
  const inside = input.profile.functions.filter((f) => f.ms >= input.profile.busyMs * 0.02).slice(0, 8);
  if (inside.length > 0) {
    lines.push(`  inside (main thread, inclusive): ${inside.map((f) => `${f.name} ${percent(f.ms, input.profile.busyMs)}`).join("; ")}`);
  }
  const hot = input.profile.hotFunctions.slice(0, 5).map((f) => `${f.name} ${percent(f.ms, input.profile.busyMs)}`);
  lines.push(`  hottest functions (self): ${hot.join("; ")}`);
  if (input.db !== undefined) lines.push(`  database work per ${input.unit}: ${describeDb(input.db, input.count)}`);
  const first = largestCost(costs);
  const largest = first === undefined ? "–" : `${first.name}, ≈ ${fixed(first.msPerUnit, 2)} of ${fixed(total, 2)} ms CPU per ${input.unit} (${percent(first.msPerUnit, total)})`;
  lines.push(`  Largest remaining cost: ${largest}`);
  return { text: lines.join("\n"), largest };
}

/**
 * `N transactions; table +ins ~upd -del, lookups` per unit, busiest tables first. Lookups are index and
 * sequential scans started (a nested-loop join starts one per outer row, so they count work, not statements).
 */
export function describeDb(db: DbActivity, units: number): string {
  const per = (n: number) => fixed(n / units, 1);
  const tables = Object.entries(db.tables)
    .map(([name, t]) => ({ name, t, total: t.inserted + t.updated + t.deleted + t.scans }))
    .sort((a, b) => b.total - a.total)
    .slice(0, 5)
    .map(({ name, t }) => `${name} ${[t.inserted && `+${per(t.inserted)}`, t.updated && `~${per(t.updated)}`, t.deleted && `-${per(t.deleted)}`, t.scans && `${per(t.scans)} lookups`].filter(Boolean).join(" ")}`);
  return `${per(db.transactions)} transactions; ${tables.join(", ")} (rows + inserted, ~ updated, - deleted)`;
}
