import { BENCH_SECRET } from "./bench-node.ts";
import { type Child, forkChild } from "./child-rpc.ts";
import { DatabaseServerCpu, processCpuMs } from "./process-cpu.ts";

/** What a scenario adds around the node it measures: more worker processes, the database's CPU. */
export interface NodeExtras {
  readonly workerPids: readonly number[];
  readonly dbServer: DatabaseServerCpu | undefined;
  /** CPU ms the extra worker processes have used so far. */
  workersCpuMs(): number;
  /** `+2 worker processes` for the result's engine label; empty without extra processes. */
  readonly label: string;
}

/**
 * Starts `workerProcesses` more processes of the node in role `worker` (PostgreSQL only: PGlite
 * cannot be shared), pushing them onto `children` so the scenario stops them, and watches the
 * PostgreSQL backends' CPU when the server is on this machine.
 */
export async function startNodeExtras(
  children: Child[],
  setup: { readonly databaseUrl?: string; readonly origin: string },
  baseUrl: string | undefined,
  workerProcesses: number,
): Promise<NodeExtras> {
  const workerPids: number[] = [];
  for (let i = 0; setup.databaseUrl !== undefined && i < workerProcesses; i++) {
    const worker = await forkChild("worker-process.ts");
    children.push(worker);
    workerPids.push(await worker.call<number>("start", { databaseUrl: setup.databaseUrl, origin: setup.origin, secret: BENCH_SECRET }));
  }
  let dbServer: DatabaseServerCpu | undefined;
  if (baseUrl !== undefined && setup.databaseUrl !== undefined) {
    dbServer = new DatabaseServerCpu(baseUrl, setup.databaseUrl);
    if (!(await dbServer.isLocal())) {
      await dbServer.close();
      dbServer = undefined;
    }
  }
  const label = workerPids.length === 0 ? "" : `+${workerPids.length} worker process${workerPids.length > 1 ? "es" : ""}`;
  return { workerPids, dbServer, label, workersCpuMs: () => workerPids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0) };
}
