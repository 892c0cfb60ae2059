import { Hono } from "hono";
import type { HealthDeps, Services } from "../http/app-env.ts";
import { countPendingOutbox } from "../modules/outbox/index.ts";
import { SOFTWARE_VERSION } from "../platform/version.ts";

/**
 * `/healthz`: 200 when the database answers, 503 when it does not or the process is shutting down.
 * The body says why, with the queue depths an operator wants to see at a glance.
 */
export function createHealthRoute(deps: HealthDeps & { readonly services: Pick<Services, "node"> }): Hono {
  const route = new Hono();
  route.get("/healthz", async (c) => {
    const database = await deps.services.node.databaseHealth();
    const queues: Record<string, unknown> = {};
    let outboxPending: number | null = null;
    if (database.ok) {
      for (const [name, queue] of Object.entries(deps.queues)) queues[name] = (await queue.getDepth?.()) ?? null;
      outboxPending = await countPendingOutbox(deps.db);
    }
    const draining = deps.isDraining();
    const status = !database.ok ? "unavailable" : draining ? "draining" : "ok";
    c.header("Cache-Control", "no-store");
    return c.json(
      {
        status,
        version: SOFTWARE_VERSION,
        role: deps.config.nodeRole,
        database: { engine: deps.engine, ...database },
        queues,
        outboxPending,
      },
      status === "ok" ? 200 : 503,
    );
  });
  return route;
}
