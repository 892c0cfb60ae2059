import { sql } from "kysely";
import { type BenchNode, createMemberToken, createProject, loggedSoFar, postUpdate, startBenchNode } from "./bench-node.ts";
import { cpuMs, serveCalls } from "./child-rpc.ts";
import { CpuProfiler, type ProfileSummary } from "./cpu-profile.ts";
import { readDbActivity } from "./db-activity.ts";

/**
 * Child process: the sending node. Two projects, each followed by the same number of remote actors
 * spread over the sink servers: `fanout-shared`'s followers have a shared inbox on their server
 * (Fedify delivers once per server), `fanout-personal`'s have only their own inbox (one delivery each).
 * Followers are inserted directly; an update is posted through the API as a maintainer would.
 */

export type Audience = "shared" | "personal";

let node: BenchNode | undefined;
let token = "";
let profiler: CpuProfiler | undefined;
let posts = 0;

async function insertFollowers(projectActorId: number, audience: Audience, followers: number, ports: readonly number[]): Promise<void> {
  const db = node!.database.db;
  for (let from = 0; from < followers; from += 500) {
    const batch = Array.from({ length: Math.min(500, followers - from) }, (_, k) => {
      const n = from + k;
      const server = `http://127.0.0.1:${ports[n % ports.length]}`;
      const name = `${audience[0]}${n}`;
      return {
        iri: `${server}/users/${name}`,
        type: "Person",
        handle: `${name}@${new URL(server).host}`,
        name,
        inbox: `${server}/users/${name}/inbox`,
        shared_inbox: audience === "shared" ? `${server}/inbox` : null,
        followers_url: `${server}/users/${name}/followers`,
      };
    });
    const rows = await db.insertInto("remote_actors").values(batch).returning("id").execute();
    await db
      .insertInto("followers")
      .values(rows.map((row) => ({ local_actor_id: projectActorId, remote_actor_id: row.id, follow_iri: `${row.id}#follow` })))
      .execute();
  }
  // Fix up the follow IRIs to look like real ones (the remote actor's origin), now that ids exist.
  await sql`UPDATE followers f SET follow_iri = r.iri || '/follows/' || f.id FROM remote_actors r WHERE r.id = f.remote_actor_id`.execute(db);
}

/** Until the outbox is relayed and Fedify's queues are empty: the sender has nothing left to do. */
async function settled(timeoutMs: number): Promise<boolean> {
  const db = node!.database.db;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pending = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("relayed_at", "is", null).executeTakeFirstOrThrow();
    const queued = await db.selectFrom("fedify_queue").select((eb) => eb.fn.countAll<number>().as("n")).where("queue", "not like", "%:dead").executeTakeFirstOrThrow();
    if (Number(pending.n) === 0 && Number(queued.n) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

serveCalls({
  async setup({ baseUrl, followers, ports, outboxWorkers }: { baseUrl?: string; followers: number; ports: number[]; outboxWorkers?: number }) {
    node = await startBenchNode(baseUrl, { outboxWorkers });
    token = await createMemberToken(node, "maria");
    for (const audience of ["shared", "personal"] as const) {
      const actorId = await createProject(node, token, `fanout-${audience}`);
      await insertFollowers(actorId, audience, followers, ports);
    }
    return { origin: node.origin, databaseUrl: node.databaseUrl, engine: node.database.engine };
  },
  /** Posts one update; the clock and the CPU meter start right before the API call. */
  async post({ audience }: { audience: Audience }) {
    const startedAt = performance.timeOrigin + performance.now();
    const cpuAtStart = cpuMs();
    const content = `Week ${++posts} on the roof: the **inverter** is in and the panels are wired. #solar #energy\n\n${"We thank everyone who came. ".repeat(12)}`;
    const iri = await postUpdate(node!, token, `fanout-${audience}`, content);
    return { startedAt, cpuAtStart, postMs: performance.timeOrigin + performance.now() - startedAt, iri };
  },
  /** Waits for the queues to drain, then reads the CPU meter. */
  async settle({ timeoutMs }: { timeoutMs: number }) {
    const drained = await settled(timeoutMs);
    const dead = await node!.database.db.selectFrom("fedify_queue").select((eb) => eb.fn.countAll<number>().as("n")).where("queue", "like", "%:dead").executeTakeFirstOrThrow();
    return { drained, dead: Number(dead.n), cpu: cpuMs(), at: performance.timeOrigin + performance.now() };
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
