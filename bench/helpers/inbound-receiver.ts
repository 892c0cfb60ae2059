import { type BenchNode, createMemberToken, createProject, loggedSoFar, postUpdate, startBenchNode } from "./bench-node.ts";
import { cpuMs, serveCalls } from "./child-rpc.ts";
import { CpuProfiler, type ProfileSummary } from "./cpu-profile.ts";
import { readDbActivity } from "./db-activity.ts";
import type { InboundKind } from "./inbound-peer.ts";

/**
 * Child process: the receiving node, with one project and enough of its updates that every Like in a
 * run is a new (note, actor) pair (likes are stored once per pair). Inbound activities land in its
 * shared inbox; what counts as stored is rows in note_interactions (Likes) or remote_posts (replies).
 */

const HANDLE = "inbound";
let node: BenchNode | undefined;
let profiler: CpuProfiler | undefined;

async function storedCount(kind: InboundKind): Promise<number> {
  const db = node!.database.db;
  const table = kind === "like" ? "note_interactions" : "remote_posts";
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

serveCalls({
  async setup({ baseUrl, notes }: { baseUrl?: string; notes: number }) {
    node = await startBenchNode(baseUrl);
    const token = await createMemberToken(node, "maria");
    await createProject(node, token, HANDLE);
    const noteIris: string[] = [];
    for (let i = 0; i < notes; i++) noteIris.push(await postUpdate(node, token, HANDLE, `Update ${i}: the panels are up. #solar`));
    const origin = new URL(node.origin);
    return {
      origin: node.origin,
      databaseUrl: node.databaseUrl,
      engine: node.database.engine,
      inbox: new URL("/inbox", origin).href,
      notes: noteIris,
      group: { iri: new URL(`/@${HANDLE}`, origin).href, url: new URL(`/@${HANDLE}`, origin).href, handle: HANDLE, acct: `${HANDLE}@${origin.host}` },
    };
  },
  async count({ kind }: { kind: InboundKind }) {
    return { stored: await storedCount(kind), cpu: cpuMs() };
  },
  /**
   * Polls until `target` rows are stored (or `timeoutMs` passes without progress) and the inbox queue
   * is empty; returns when the last row appeared and the CPU meter at that point.
   */
  async waitStored({ kind, target, timeoutMs }: { kind: InboundKind; target: number; timeoutMs: number }) {
    let stored = await storedCount(kind);
    let storedAt = performance.timeOrigin + performance.now();
    let progressAt = Date.now();
    while (stored < target && Date.now() - progressAt < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const now = await storedCount(kind);
      if (now > stored) {
        stored = now;
        storedAt = performance.timeOrigin + performance.now();
        progressAt = Date.now();
      }
    }
    const cpu = cpuMs();
    const queued = await node!.database.db.selectFrom("fedify_queue").select(["queue", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("queue").execute();
    return { stored, storedAt, cpu, queued: Object.fromEntries(queued.map((q) => [q.queue, Number(q.n)])) };
  },
  cpu: () => cpuMs(),
  dbActivity: () => readDbActivity(node!.database.db),
  logs: () => loggedSoFar(),
  async profileStart() {
    profiler = new CpuProfiler();
    await profiler.start();
  },
  async profileStop(): Promise<ProfileSummary> {
    const summary = await profiler!.stop();
    profiler = undefined;
    return summary;
  },
  async close() {
    await node?.close();
    node = undefined;
  },
});
