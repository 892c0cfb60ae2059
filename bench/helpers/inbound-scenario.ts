import type { LogSummary } from "./bench-node.ts";
import { type Child, forkChild } from "./child-rpc.ts";
import type { ProfileSummary } from "./cpu-profile.ts";
import { type DbActivity, diffDbActivity } from "./db-activity.ts";
import type { InboundKind } from "./inbound-peer.ts";
import { type NodeExtras, startNodeExtras } from "./node-extras.ts";
import type { DatabaseServerCpu } from "./process-cpu.ts";

/**
 * Inbound, run from the benchmark's main process: a receiving node and a Mastodon-like peer in two
 * children. After a warm-up (every peer account's key fetched and cached once, as in steady state),
 * the peer POSTs pre-signed activities to the shared inbox, `concurrency` at a time, for at most
 * `seconds`; accepted = answered 202, stored = rows written by the inbox handlers.
 */
export interface InboundOptions {
  readonly baseUrl: string | undefined;
  readonly likes: number;
  readonly creates: number;
  readonly actors: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly profile: boolean;
  /** What-if (PostgreSQL only): this many more processes of the receiving node in role `worker`. */
  readonly workerProcesses: number;
  readonly progress: (line: string) => void;
  /** Told the scratch database's URL as soon as it exists, so an interrupted run can drop it. */
  readonly onDatabase: (url: string) => void;
}

export interface InboundRound {
  readonly kind: InboundKind;
  readonly prepared: number;
  readonly sent: number;
  readonly accepted: number;
  readonly statuses: Record<string, number>;
  readonly firstError: string | undefined;
  readonly stored: number;
  readonly acceptMs: number;
  readonly storeMs: number;
  readonly receiverCpuMs: number;
  readonly dbServerCpuMs: number | undefined;
  readonly p50: number;
  readonly p95: number;
  readonly bodyBytes: number;
  readonly queuedAfter: Record<string, number>;
  readonly db: DbActivity | undefined;
}

export interface InboundResult {
  readonly engine: string;
  readonly processes: number;
  readonly rounds: readonly InboundRound[];
  readonly profiles: Partial<Record<InboundKind, { readonly round: InboundRound; readonly profile: ProfileSummary }>>;
  readonly logs: LogSummary;
}

interface ReceiverSetup {
  readonly databaseUrl?: string;
  readonly engine: string;
  readonly origin: string;
  readonly inbox: string;
  readonly notes: string[];
  readonly group: { iri: string; url: string; handle: string; acct: string };
}

/** Profiled runs are smaller: they only apportion the cost, the timed runs give the rates. */
const profiledCount = (count: number) => Math.max(50, Math.ceil(count / 5));

export async function runInbound(options: InboundOptions): Promise<InboundResult> {
  const children: Child[] = [];
  let dbServer: DatabaseServerCpu | undefined;
  try {
    const peer = await forkChild("inbound-peer.ts");
    children.push(peer);
    await peer.call("setup", { actors: options.actors });
    const receiver = await forkChild("inbound-receiver.ts");
    children.push(receiver);
    // Each Like needs a fresh (note, actor) pair: one note per `actors` likes, for every run.
    const notesFor = (count: number) => Math.ceil(count / options.actors);
    const noteCount = 1 + notesFor(options.likes) + (options.profile ? notesFor(profiledCount(options.likes)) : 0);
    options.progress(`inbound: posting ${noteCount} updates to like`);
    const setup = await receiver.call<ReceiverSetup>("setup", { baseUrl: options.baseUrl, notes: noteCount });
    if (setup.databaseUrl !== undefined) options.onDatabase(setup.databaseUrl);
    const extras = await startNodeExtras(children, setup, options.baseUrl, options.workerProcesses);
    dbServer = extras.dbServer;
    let nextNote = 0;
    const takeNotes = (count: number) => setup.notes.slice(nextNote, (nextNote += notesFor(count)));
    const round = (kind: InboundKind, count: number, profiled = false) =>
      runRound({ peer, receiver, extras, setup, options, kind, count, notes: kind === "like" ? takeNotes(count) : setup.notes, profiled });
    options.progress(`inbound on ${setup.engine}: warm-up (${options.actors} keys fetched and cached)`);
    await round("like", options.actors);
    await round("create", options.actors);
    const rounds: InboundRound[] = [];
    const profiles: InboundResult["profiles"] = {};
    for (const [kind, count] of [["like", options.likes], ["create", options.creates]] as const) {
      if (count === 0) continue;
      const r = await round(kind, count);
      rounds.push(r);
      options.progress(`inbound on ${setup.engine}, ${kind}: ${r.accepted} accepted in ${(r.acceptMs / 1000).toFixed(2)} s, ${r.stored} stored`);
      if (options.profile) {
        const profiledRound = await round(kind, profiledCount(count), true);
        profiles[kind] = { round: profiledRound, profile: await receiver.call<ProfileSummary>("profileStop") };
      }
    }
    const engine = extras.label === "" ? setup.engine : `${setup.engine}, ${extras.label}`;
    return { engine, processes: 1 + extras.workerPids.length, rounds, profiles, logs: await receiver.call<LogSummary>("logs") };
  } finally {
    await dbServer?.close();
    for (const child of children.reverse()) await child.stop();
  }
}

interface RoundArgs {
  readonly peer: Child;
  readonly receiver: Child;
  readonly extras: NodeExtras;
  readonly setup: ReceiverSetup;
  readonly options: InboundOptions;
  readonly kind: InboundKind;
  readonly count: number;
  readonly notes: readonly string[];
  /** Starts the receiver's profiler after signing; the caller stops it. */
  readonly profiled: boolean;
}

interface Fired {
  readonly startedAt: number;
  readonly lastAcceptedAt: number;
  readonly sent: number;
  readonly accepted: number;
  readonly statuses: Record<string, number>;
  readonly firstError?: string;
  readonly p50: number;
  readonly p95: number;
}

async function runRound(args: RoundArgs): Promise<InboundRound> {
  const { peer, receiver, setup, options, kind } = args;
  const { dbServer } = args.extras;
  const workersCpu = args.extras.workersCpuMs;
  const prepared = await peer.call<{ bytes: number }>("prepare", { kind, count: args.count, inbox: setup.inbox, notes: args.notes, group: setup.group });
  const before = await receiver.call<{ stored: number; cpu: number }>("count", { kind });
  const dbBefore = setup.engine === "pglite" ? await receiver.call<DbActivity>("dbActivity") : undefined;
  await dbServer?.mark();
  if (args.profiled) await receiver.call("profileStart");
  const cpu0 = await receiver.call<number>("cpu");
  const workersCpu0 = workersCpu();
  const fired = await peer.call<Fired>("fire", { concurrency: options.concurrency, timeLimitMs: options.seconds * 1000 });
  const waited = await receiver.call<{ stored: number; storedAt: number; cpu: number; queued: Record<string, number> }>("waitStored", {
    kind,
    target: before.stored + fired.accepted,
    timeoutMs: 15_000,
  });
  const dbServerCpuMs = await dbServer?.sinceMark();
  const dbAfter = dbBefore === undefined ? undefined : await receiver.call<DbActivity>("dbActivity");
  return {
    kind,
    prepared: args.count,
    sent: fired.sent,
    accepted: fired.accepted,
    statuses: fired.statuses,
    firstError: fired.firstError,
    stored: waited.stored - before.stored,
    acceptMs: fired.lastAcceptedAt - fired.startedAt,
    storeMs: waited.storedAt - fired.startedAt,
    receiverCpuMs: waited.cpu - cpu0 + (workersCpu() - workersCpu0),
    dbServerCpuMs,
    p50: fired.p50,
    p95: fired.p95,
    bodyBytes: prepared.bytes,
    queuedAfter: waited.queued,
    db: dbBefore === undefined || dbAfter === undefined ? undefined : diffDbActivity(dbBefore, dbAfter),
  };
}
