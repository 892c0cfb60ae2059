/**
 * Federation benchmark (not a test): how fast a node fans one update out to its followers and how
 * many signed inbound activities it accepts and stores per second, each next to the bare cost of the
 * signature operation it cannot avoid, measured in the same run.
 *
 * Fan-out: a sending node (a child process, as `npm start` assembles it: server/node.ts assembleNode,
 * its queues, workers and outbox relay) has a project followed by --followers remote actors spread
 * over --servers loopback "remote servers" (another child that answers every POST with 202 and counts
 * it, without verifying: verifying is the receiver's cost). A maintainer posts an update through
 * POST /api/v1/projects/{handle}/updates; the clock runs until the sinks hold every delivery. Two
 * audiences: followers with a shared inbox (Fedify delivers once per server: --servers deliveries) and
 * followers with only their own inbox (one delivery each). Sender CPU comes from process.cpuUsage()
 * inside the sender; with PostgreSQL on this machine, the CPU of the backends serving it is added.
 *
 * Inbound: a receiving node (child) and a Mastodon-like peer (child) with --actors accounts whose
 * actor documents it serves. The peer signs Likes (HTTP signature) and Create(Note) replies (HTTP + LD
 * signature) exactly as the fake Mastodon of the federation tests does, before the clock starts, then
 * POSTs them to the shared inbox --concurrency at a time for at most --seconds. Accepted = 202 at the
 * HTTP edge; stored = rows in note_interactions / remote_posts.
 *
 * Baseline: RSA-2048 sign/verify with WebCrypto and Fedify's signRequest/verifyRequest of a typical
 * POST, in this process. "Ceiling" = cores / (ms per signature operation): what signatures alone
 * would allow if nothing else cost anything.
 *
 * Where the time goes: one extra round per scenario runs under V8's sampling profiler (node:inspector,
 * in the measured process); main-thread samples are grouped by package and scaled to CPU ms per unit.
 * Signing on the libuv pool is not sampled: it is counted as (signatures × baseline). On PGlite the
 * statements per unit come from pg_stat_database / pg_stat_user_tables.
 *
 *   node bench/federation.ts [--followers 1000] [--servers 100] [--inbound 2000] [--creates 500]
 *                            [--seconds 25] [--concurrency 20] [--actors 20] [--rounds 2] [--no-profile]
 *                            [--outbox-workers N] [--worker-processes N]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/federation.ts
 *
 * What-ifs (not profiled): --outbox-workers N repeats the fan-out with N outbox workers instead of
 * assembleNode's 8; --worker-processes N (PostgreSQL only) repeats fan-out and inbound with N more
 * processes of the node in role `worker` (NODE_ROLE=worker, as a deployment would add them), whose
 * CPU counts as the sender's or receiver's.
 *
 * PostgreSQL is measured too when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set: each node gets a
 * scratch database next to it, dropped at the end (also on Ctrl-C). Runs in about 4 minutes with both
 * engines on an idle 2-core machine; other load on the machine lowers the rates (the load average is
 * printed), while CPU per unit moves much less.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { dropScratchPostgresDatabase } from "../test/helpers/test-database.ts";
import { expectedDeliveries, type FanoutResult, runFanout } from "./helpers/fanout-scenario.ts";
import { fanoutRows, inboundRows, type OutputSettings, printAims, printBaseline, printLogs, printProblems, printProfiles } from "./helpers/federation-output.ts";
import { type InboundResult, runInbound } from "./helpers/inbound-scenario.ts";
import { fixed, table } from "./helpers/report.ts";
import { measureSignatureBaseline } from "./helpers/signature-baseline.ts";

const { values: args } = parseArgs({
  options: {
    followers: { type: "string", default: "1000" },
    servers: { type: "string", default: "100" },
    inbound: { type: "string", default: "2000" },
    creates: { type: "string" },
    seconds: { type: "string", default: "25" },
    concurrency: { type: "string", default: "20" },
    actors: { type: "string", default: "20" },
    rounds: { type: "string", default: "2" },
    "no-profile": { type: "boolean", default: false },
    "worker-processes": { type: "string", default: "0" },
    "outbox-workers": { type: "string" },
  },
});
const count = (name: keyof typeof args, min = 1): number => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${args[name]}`);
  return value;
};
const FOLLOWERS = count("followers");
const SERVERS = Math.min(count("servers"), FOLLOWERS);
const LIKES = count("inbound", 0);
const CREATES = args.creates === undefined ? Math.ceil(LIKES / 4) : count("creates", 0);
const SECONDS = count("seconds");
const CONCURRENCY = count("concurrency");
const ACTORS = count("actors");
const ROUNDS = count("rounds");
const PROFILE = !args["no-profile"];
const WORKER_PROCESSES = count("worker-processes", 0);
const OUTBOX_WORKERS = args["outbox-workers"] === undefined ? undefined : count("outbox-workers");
const BASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
const CORES = availableParallelism();
const AIM_DELIVERIES = 500;
const AIM_INBOUND = 300;
const OUTPUT: OutputSettings = { cores: CORES, seconds: SECONDS, aimDeliveries: AIM_DELIVERIES, aimInbound: AIM_INBOUND };

const scratchDatabases = new Set<string>();
process.once("SIGINT", () => {
  void (async () => {
    for (const url of scratchDatabases) await dropScratchPostgresDatabase(BASE_URL!, url).catch(() => {});
    process.exit(130);
  })();
});
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

function packageVersion(name: string): string {
  const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

async function postgresVersion(): Promise<string | undefined> {
  if (BASE_URL === undefined) return undefined;
  const admin = postgres(BASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`SHOW server_version`;
    return `PostgreSQL ${String(row!.server_version).split(" ")[0]} at ${new URL(BASE_URL).host}`;
  } finally {
    await admin.end();
  }
}

async function printMachine(): Promise<void> {
  const pg = await postgresVersion();
  console.log("Federation benchmark: fan-out and inbound, with the signature cost measured in the same run\n");
  console.log(`machine: ${CORES} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, Linux ${release()}`);
  console.log(`runtime: Node ${process.version}, Fedify ${packageVersion("@fedify/fedify")}, Kysely ${packageVersion("kysely")}`);
  console.log(`engines: PGlite ${packageVersion("@electric-sql/pglite")} (in memory)${pg === undefined ? "; PostgreSQL not measured (set BENCH_DATABASE_URL)" : `; ${pg}`}`);
  console.log(`settings: ${FOLLOWERS} followers on ${SERVERS} servers, ${ROUNDS} rounds each; inbound ${LIKES} Likes + ${CREATES} Creates from ${ACTORS} accounts, ${CONCURRENCY} concurrent, ≤ ${SECONDS} s each; profile ${PROFILE ? "on" : "off"}`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
}

async function main(): Promise<void> {
  await printMachine();
  const baseline = await measureSignatureBaseline();
  printBaseline(OUTPUT, baseline);
  const engines: (string | undefined)[] = [undefined, ...(BASE_URL === undefined ? [] : [BASE_URL])];
  const fanouts: FanoutResult[] = [];
  const inbounds: InboundResult[] = [];
  const onDatabase = (url: string) => scratchDatabases.add(url);
  for (const baseUrl of engines) {
    fanouts.push(await runFanout({ baseUrl, followers: FOLLOWERS, servers: SERVERS, rounds: ROUNDS, profile: PROFILE, workerProcesses: 0, progress, onDatabase }));
    const whatIf = { baseUrl, followers: FOLLOWERS, servers: SERVERS, rounds: ROUNDS, profile: false, progress, onDatabase };
    if (OUTBOX_WORKERS !== undefined) fanouts.push(await runFanout({ ...whatIf, workerProcesses: 0, outboxWorkers: OUTBOX_WORKERS }));
    if (baseUrl !== undefined && WORKER_PROCESSES > 0) fanouts.push(await runFanout({ ...whatIf, workerProcesses: WORKER_PROCESSES }));
    if (LIKES + CREATES > 0) {
      const inbound = { baseUrl, likes: LIKES, creates: CREATES, actors: ACTORS, concurrency: CONCURRENCY, seconds: SECONDS, progress, onDatabase };
      inbounds.push(await runInbound({ ...inbound, profile: PROFILE, workerProcesses: 0 }));
      if (baseUrl !== undefined && WORKER_PROCESSES > 0) inbounds.push(await runInbound({ ...inbound, profile: false, workerProcesses: WORKER_PROCESSES }));
    }
  }
  const shared = expectedDeliveries("shared", FOLLOWERS, SERVERS);
  console.log(`Fan-out: one update to ${FOLLOWERS} followers on ${SERVERS} loopback servers (shared inboxes: ${shared} deliveries; personal: ${FOLLOWERS}); median of ${ROUNDS}`);
  console.log(
    table(
      ["engine", "inboxes", "deliveries", "s", "deliveries/s", "1st ms", "sender CPU ms/dlv", "DB server ms/dlv", "sink ms/dlv", "of signature ceiling", `CPU-bound /s`],
      fanouts.flatMap((f) => fanoutRows(OUTPUT, f, baseline)),
    ),
  );
  console.log(`  signature ceiling = ${CORES} cores / ${fixed(baseline.signRequestMs, 3)} ms (Fedify signRequest) = ${fixed((CORES * 1000) / baseline.signRequestMs, 0)} deliveries/s`);
  console.log(`  CPU-bound = what the measured CPU per delivery allows on ${CORES} idle cores: min(${CORES} cores / (sender + DB server), main threads / sender's main-thread part)`);
  if (inbounds.length > 0) {
    console.log(`\nInbound: signed activities to the shared inbox from ${ACTORS} accounts, ${CONCURRENCY} at a time (keys cached after a warm-up)`);
    console.log(
      table(
        ["engine", "activity", "accepted/sent", "accepted/s", "stored/s", "receiver CPU ms/act", "DB server ms/act", "p50/p95 ms", "of verify ceiling", `CPU-bound /s`],
        inbounds.flatMap((i) => inboundRows(OUTPUT, i, baseline)),
      ),
    );
    console.log(`  verify ceiling = ${CORES} cores / verifyRequest (${fixed(baseline.verifyRequestMs, 3)} ms; + verifyJsonLd ${fixed(baseline.ldVerifyMs, 3)} ms for Creates, which Mastodon LD-signs)`);
  }
  printProblems(OUTPUT, fanouts, inbounds);
  const largest = printProfiles(fanouts, inbounds, baseline);
  printAims(OUTPUT, fanouts, inbounds);
  if (largest.length > 0) console.log(`\nLargest remaining cost, by scenario:\n  ${largest.join("\n  ")}`);
  console.log("\nWarnings and errors the nodes logged (counted, first message shown):");
  printLogs(fanouts, "sender");
  printLogs(inbounds, "receiver");
  console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

await main();
