import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { createAppFederation, MEMORY_CACHEABLE_KV_PREFIXES } from "../../federation/create-federation.ts";
import type { FederationDeps } from "../../federation/federation-deps.ts";
import { pendingFederationDeps } from "../../federation/federation-deps.ts";
import { runOutboxRelay } from "../../federation/outbox-relay.ts";
import { startControlServer } from "./cli/control-server.ts";
import { createApp } from "./app.ts";
import { createServices } from "./services.ts";
import type { Services } from "../http/app-env.ts";
import type { Config } from "../platform/config.ts";
import { migrateToLatest } from "../db/migrate.ts";
import type { DatabaseHandle } from "../db/open-database.ts";
import { openConfiguredDatabase } from "../db/open-configured-database.ts";
import { syncAllProjectEntries } from "../modules/projects/index.ts";
import { ensureNodeIdentity } from "../modules/node/index.ts";
import { pruneRateLimits } from "../modules/accounts/index.ts";
import { pruneDeliveryRejections } from "../modules/delivery-health/index.ts";
import { pruneRelayedOutbox } from "../modules/outbox/index.ts";
import { KyselyKvStore } from "../queue/kysely-kv-store.ts";
import { KyselyMessageQueue } from "../queue/kysely-message-queue.ts";
import { createSecretBox, type SecretBox } from "../platform/secret-box.ts";
import { loadOrCreateSecret } from "../platform/secret.ts";

const logger = getLogger(["commonsnet", "node"]);

export interface RunningNode {
  /** The port the HTTP server listens on (web and all roles). */
  readonly port: number | undefined;
  readonly database: DatabaseHandle;
  /** Stops taking requests, lets in-flight requests and queue handlers finish, closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts a node in its role: `web` serves HTTP and only enqueues federation work, `worker` runs the
 * queues and the outbox relay, `all` does both. Several of each can share one PostgreSQL.
 */
export async function startNode(config: Config): Promise<RunningNode> {
  const box = createSecretBox(loadOrCreateSecret(config.dataDir, config.secretKey));
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    await ensureNodeIdentity(database.db, box, config);
    // Projects made before the directory existed get their entries (a no-op once in step).
    await syncAllProjectEntries(database.db, config.publicUrl);
  } catch (error) {
    await database.close();
    throw error;
  }
  let draining = false;
  const services = assembleNode(config, database, box, () => draining);
  // The embedded database serves this process only: the command line asks through this socket.
  const control = database.engine === "pglite" ? await startControlServer(config.dataDir, services.services.accounts) : undefined;
  const { federation, kv, deps } = services;

  let server: ServerType | undefined;
  let port: number | undefined;
  if (config.nodeRole !== "worker") {
    server = await listen(services.app.fetch, config.port);
    port = (server.address() as AddressInfo).port;
  }

  const workers = new AbortController();
  const background: Promise<unknown>[] = [];
  if (config.nodeRole !== "web") {
    background.push(federation.startQueue(deps, { signal: workers.signal }));
    background.push(runOutboxRelay(federation, deps, { signal: workers.signal }));
    background.push(runMaintenance(database, kv, workers.signal, services.services));
  }
  logger.info("Node {name} started: role {role}, {engine} database at {location}, public URL {url}", {
    name: config.nodeName,
    role: config.nodeRole,
    engine: database.engine,
    location: database.location,
    url: config.publicUrl.href,
  });

  return {
    port,
    database,
    async stop() {
      draining = true;
      if (server !== undefined) await closeServer(server);
      workers.abort();
      await Promise.allSettled(background);
      await control?.close();
      await database.close();
      logger.info("Node stopped cleanly");
    },
  };
}

export interface NodeServices {
  readonly deps: FederationDeps;
  readonly kv: KyselyKvStore;
  readonly queues: { readonly inbox: KyselyMessageQueue; readonly outbox: KyselyMessageQueue; readonly fanout: KyselyMessageQueue };
  readonly federation: Federation<FederationDeps>;
  readonly services: Services;
  readonly app: Hono<AppEnv>;
}

/** What-ifs the benchmarks try; a node runs with the defaults. */
export interface NodeTuning {
  readonly outboxWorkers?: number;
}

/** Wires a node's parts on an open, migrated database; tests use it to run the app in process. */
export function assembleNode(config: Config, database: DatabaseHandle, box: SecretBox, isDraining: () => boolean, tuning: NodeTuning = {}): NodeServices {
  const { db } = database;
  const kv = new KyselyKvStore(db, { cachedPrefixes: MEMORY_CACHEABLE_KV_PREFIXES });
  const queues = {
    // Inbox messages hold received activities only; deliveries carry the sender's private keys, so they are sealed.
    inbox: new KyselyMessageQueue(db, { queue: "inbox", workers: 4 }),
    outbox: new KyselyMessageQueue(db, { queue: "outbox", workers: tuning.outboxWorkers ?? 8, box }),
    fanout: new KyselyMessageQueue(db, { queue: "fanout", workers: 2, box }),
  };
  const federation = createAppFederation(config, kv, queues, db);
  const { deps, attachServices } = pendingFederationDeps({ db, box, config });
  const services = createServices(federation, deps);
  attachServices(services);
  const app = createApp({ ...deps, federation, services, engine: database.engine, queues, isDraining });
  return { deps, kv, queues, federation, services, app };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port }, () => resolve(server));
    server.once("error", reject);
  });
}

/** Stops accepting connections and waits for in-flight requests (at most 20 s). */
async function closeServer(server: ServerType): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if ("closeIdleConnections" in server) server.closeIdleConnections();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 20_000).unref());
  await Promise.race([closed, timeout]);
  if ("closeAllConnections" in server) server.closeAllConnections();
}

/**
 * Housekeeping in worker processes: expired cache entries hourly, relayed outbox rows after a week,
 * refused deliveries after 30 days (the admins' log of them stays bounded).
 */
async function runMaintenance(database: DatabaseHandle, kv: KyselyKvStore, signal: AbortSignal, services: Pick<Services, "designFiles">): Promise<void> {
  const tick = async () => {
    try {
      await kv.sweep();
      await pruneRelayedOutbox(database.db, 7);
      await pruneRateLimits(database.db, 24 * 3600);
      await pruneDeliveryRejections(database.db, 30 * 24 * 3600);
      // A day without a write: no upload in progress is that slow (the storage volume is shared with web processes).
      await services.designFiles.sweepAbandonedUploads(24 * 3600);
    } catch (error) {
      if (!signal.aborted) logger.warn("Maintenance failed: {error}", { error });
    }
  };
  const timer = setInterval(tick, 3600_000);
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  clearInterval(timer);
}
