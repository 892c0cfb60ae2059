import { type Child, forkChild } from "./child-rpc.ts";
import type { ProfileSummary } from "./cpu-profile.ts";
import { type DbActivity, diffDbActivity } from "./db-activity.ts";
import type { Audience } from "./fanout-sender.ts";
import { type NodeExtras, startNodeExtras } from "./node-extras.ts";
import { DatabaseServerCpu, processCpuMs } from "./process-cpu.ts";
import type { LogSummary } from "./bench-node.ts";
import type { Received } from "./sinks.ts";

/**
 * Fan-out, run from the benchmark's main process: the sinks and the sending node in two children,
 * a warm-up post, then timed posts to each audience. The clock runs from just before the API call
 * that posts the update until the sinks hold every delivery; the sender's CPU meter from the same
 * point until its outbox and queues are empty.
 */
export interface FanoutOptions {
  readonly baseUrl: string | undefined;
  readonly followers: number;
  readonly servers: number;
  readonly rounds: number;
  readonly profile: boolean;
  /** What-if (PostgreSQL only): this many more processes of the sender in role `worker`. */
  readonly workerProcesses: number;
  /** What-if: outbox workers per process instead of assembleNode's 8. */
  readonly outboxWorkers?: number;
  readonly progress: (line: string) => void;
  /** Told the scratch database's URL as soon as it exists, so an interrupted run can drop it. */
  readonly onDatabase: (url: string) => void;
}

export interface FanoutRound {
  readonly audience: Audience;
  readonly expected: number;
  readonly received: Received;
  readonly wallMs: number;
  readonly firstMs: number;
  readonly postMs: number;
  /** CPU of the sending node's processes: the one that took the post, plus any worker processes. */
  readonly senderCpuMs: number;
  /** CPU of the PostgreSQL backends serving the sender (local server only). */
  readonly dbServerCpuMs: number | undefined;
  readonly sinkCpuMs: number;
  readonly drained: boolean;
  readonly dead: number;
  /** PGlite only: statements and row operations of the round. */
  readonly db: DbActivity | undefined;
}

export interface FanoutResult {
  readonly engine: string;
  /** Processes of the sending node (1, or more with worker processes). */
  readonly processes: number;
  readonly rounds: readonly FanoutRound[];
  readonly profiles: Partial<Record<Audience, { readonly round: FanoutRound; readonly profile: ProfileSummary }>>;
  readonly logs: LogSummary;
}

export const expectedDeliveries = (audience: Audience, followers: number, servers: number): number =>
  audience === "shared" ? Math.min(followers, servers) : followers;

export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const children: Child[] = [];
  let dbServer: DatabaseServerCpu | undefined;
  try {
    const sinks = await forkChild("sinks.ts");
    children.push(sinks);
    const ports = await sinks.call<number[]>("open", { count: options.servers });
    const sender = await forkChild("fanout-sender.ts");
    children.push(sender);
    const setup = await sender.call<{ databaseUrl?: string; engine: string; origin: string }>("setup", {
      baseUrl: options.baseUrl,
      followers: options.followers,
      ports,
      outboxWorkers: options.outboxWorkers,
    });
    if (setup.databaseUrl !== undefined) options.onDatabase(setup.databaseUrl);
    const extras = await startNodeExtras(children, setup, options.baseUrl, options.workerProcesses);
    dbServer = extras.dbServer;
    const round = (audience: Audience) =>
      runRound({ sender, sinks, extras, engine: setup.engine, audience, expected: expectedDeliveries(audience, options.followers, options.servers) });
    options.progress(`fan-out on ${setup.engine}: warm-up`);
    await round("shared");
    const rounds: FanoutRound[] = [];
    const profiles: FanoutResult["profiles"] = {};
    for (const audience of ["shared", "personal"] as const) {
      for (let i = 0; i < options.rounds; i++) {
        const r = await round(audience);
        rounds.push(r);
        options.progress(`fan-out on ${setup.engine}, ${audience} inboxes: ${r.received.total} deliveries in ${(r.wallMs / 1000).toFixed(2)} s`);
      }
      if (options.profile) {
        await sender.call("profileStart");
        const r = await round(audience);
        profiles[audience] = { round: r, profile: await sender.call<ProfileSummary>("profileStop") };
      }
    }
    const variants = [
      ...(extras.label === "" ? [] : [extras.label]),
      ...(options.outboxWorkers !== undefined ? [`${options.outboxWorkers} outbox workers`] : []),
    ];
    const engine = [setup.engine, ...variants].join(", ");
    return { engine, processes: 1 + extras.workerPids.length, rounds, profiles, logs: await sender.call<LogSummary>("logs") };
  } finally {
    await dbServer?.close();
    for (const child of children.reverse()) await child.stop();
  }
}

interface RoundArgs {
  readonly sender: Child;
  readonly sinks: Child;
  readonly extras: NodeExtras;
  readonly engine: string;
  readonly audience: Audience;
  readonly expected: number;
}

async function runRound({ sender, sinks, extras, engine, audience, expected }: RoundArgs): Promise<FanoutRound> {
  const { dbServer } = extras;
  const workersCpu = extras.workersCpuMs;
  await sinks.call("reset");
  await dbServer?.mark();
  const dbBefore = engine === "pglite" ? await sender.call<DbActivity>("dbActivity") : undefined;
  const sinkCpu0 = processCpuMs(sinks.pid) ?? 0;
  const workersCpu0 = workersCpu();
  const posted = await sender.call<{ startedAt: number; cpuAtStart: number; postMs: number }>("post", { audience });
  const received = await sinks.call<Received>("waitFor", { count: expected, timeoutMs: 180_000 });
  const settled = await sender.call<{ drained: boolean; dead: number; cpu: number }>("settle", { timeoutMs: 60_000 });
  const dbServerCpuMs = await dbServer?.sinceMark();
  const sinkCpuMs = (processCpuMs(sinks.pid) ?? 0) - sinkCpu0;
  const dbAfter = dbBefore === undefined ? undefined : await sender.call<DbActivity>("dbActivity");
  return {
    audience,
    expected,
    received,
    wallMs: received.lastAt - posted.startedAt,
    firstMs: received.firstAt - posted.startedAt,
    postMs: posted.postMs,
    senderCpuMs: settled.cpu - posted.cpuAtStart + (workersCpu() - workersCpu0),
    dbServerCpuMs,
    sinkCpuMs,
    drained: settled.drained,
    dead: settled.dead,
    db: dbBefore === undefined || dbAfter === undefined ? undefined : diffDbActivity(dbBefore, dbAfter),
  };
}
