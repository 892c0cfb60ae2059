import { AsyncLocalStorage } from "node:async_hooks";
import { createServer } from "node:net";
import { configure, type LogRecord } from "@logtape/logtape";
import { type ServerType, serve } from "@hono/node-server";
import { runOutboxRelay } from "../../federation/outbox-relay.ts";
import { loadConfig } from "../../server/platform/config.ts";
import { migrateToLatest } from "../../server/db/migrate.ts";
import { type DatabaseHandle, openDatabase } from "../../server/db/open-database.ts";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken } from "../../server/modules/accounts/credential.repository.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { ensureNodeIdentity } from "../../server/modules/node/node-identity.ts";
import { assembleNode, type NodeServices } from "../../server/app/node.ts";
import { createSecretBox } from "../../server/platform/secret-box.ts";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../../test/helpers/test-database.ts";

/**
 * A node as `npm start` runs it in role `all` (server/node.ts assembleNode: the same queues, workers
 * and outbox relay), listening on a loopback port with PUBLIC_URL http://127.0.0.1:<port>,
 * NODE_ENV=test and ALLOW_PRIVATE_ADDRESS=true so it may talk to loopback peers. Its database is an
 * in-memory PGlite, or a scratch PostgreSQL database next to `baseUrl`, dropped on close.
 */
export interface BenchNode extends NodeServices {
  readonly origin: string;
  readonly database: DatabaseHandle;
  /** The scratch database's URL (PostgreSQL only). */
  readonly databaseUrl: string | undefined;
  close(): Promise<void>;
}

/** The node secret (SECRET_KEY) of every benchmark node; worker processes of a node need the same. */
export const BENCH_SECRET = "bench-node-secret-0123456789abcdefghijkl";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Warnings and errors the node logged, counted by level and category, with the first message of each. */
export type LogSummary = Record<string, { count: number; first: string }>;
const logs: LogSummary = {};

/**
 * Logs are counted, not printed: a benchmark's output is its figures. Per-delivery log lines would
 * also cost CPU that production (LOG_LEVEL=info: Fedify at warning) does not spend on them.
 */
async function countLogs(): Promise<void> {
  const sink = (record: LogRecord) => {
    const key = `${record.level} ${record.category.join("·")}`;
    const entry = (logs[key] ??= { count: 0, first: record.message.map((part) => (typeof part === "string" ? part : String(part))).join("").slice(0, 300) });
    entry.count++;
  };
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { count: sink },
    loggers: [
      { category: ["commonsnet"], lowestLevel: "warning", sinks: ["count"] },
      { category: ["fedify"], lowestLevel: "warning", sinks: ["count"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["count"] },
    ],
  });
}

export function loggedSoFar(): LogSummary {
  return structuredClone(logs);
}

/** `env`: more of the node's variables, e.g. STORAGE_DIR and the design caps. */
export async function startBenchNode(
  baseUrl: string | undefined,
  options: { outboxWorkers?: number; env?: Record<string, string>; host?: string } = {},
): Promise<BenchNode> {
  await countLogs();
  const port = await freePort();
  // Nodes that federate with each other need distinct addresses: host rules ignore ports.
  const hostname = options.host ?? "127.0.0.1";
  const origin = `http://${hostname}:${port}`;
  const config = loadConfig({ PUBLIC_URL: origin, PORT: String(port), NODE_ENV: "test", ALLOW_PRIVATE_ADDRESS: "true", REGISTRATION: "closed", ...options.env });
  const databaseUrl = baseUrl === undefined ? undefined : await createScratchPostgresDatabase(baseUrl);
  // The pool size is left at its default, as startNode opens it.
  const database = databaseUrl === undefined ? await openDatabase({ embeddedMemory: true }) : await openDatabase({ databaseUrl });
  const dropDatabase = async () => {
    await database.close();
    if (baseUrl !== undefined && databaseUrl !== undefined) await dropScratchPostgresDatabase(baseUrl, databaseUrl);
  };
  try {
    await migrateToLatest(database.db);
    const box = createSecretBox(BENCH_SECRET);
    await ensureNodeIdentity(database.db, box, config);
    const services = assembleNode(config, database, box, () => false, { outboxWorkers: options.outboxWorkers });
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: services.app.fetch, port, hostname }, () => resolve(s));
    });
    const workers = new AbortController();
    const running = [
      services.federation.startQueue(services.deps, { signal: workers.signal }),
      runOutboxRelay(services.federation, services.deps, { signal: workers.signal }),
    ];
    return {
      ...services,
      origin,
      database,
      databaseUrl,
      async close() {
        workers.abort();
        await Promise.allSettled(running);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ("closeAllConnections" in server) server.closeAllConnections();
        });
        await dropDatabase();
      },
    };
  } catch (error) {
    await dropDatabase();
    throw error;
  }
}

/** A member made directly in the database, with an API token (registration is not what is measured). */
export async function createMemberToken(node: BenchNode, handle: string): Promise<string> {
  const actor = await insertActor(node.database.db, { handle, kind: "person", name: `Member ${handle}`, summary: "" });
  if (actor === undefined) throw new Error(`handle ${handle} is taken`);
  const accountId = await insertAccount(node.database.db, { actorId: actor.id, passwordHash: "unused", role: "member", status: "active" });
  return (await createApiToken(node.database.db, accountId, "bench")).token;
}

/** Calls the node's JSON API over HTTP; throws unless it answers `expected`. */
export async function callApi<T>(node: BenchNode, token: string, method: string, path: string, body: unknown, expected: number): Promise<T> {
  const res = await fetch(new URL(path, node.origin), {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** POST /api/v1/projects; returns the project's actor id. */
export async function createProject(node: BenchNode, token: string, handle: string): Promise<number> {
  await callApi(node, token, "POST", "/api/v1/projects", { handle, name: `Bench ${handle}`, summary: "A project for the federation benchmark." }, 201);
  const row = await node.database.db.selectFrom("actors").select("id").where("handle", "=", handle).executeTakeFirstOrThrow();
  return row.id;
}

/** POST /api/v1/projects/{handle}/updates, the way a maintainer posts; returns the update's IRI. */
export async function postUpdate(node: BenchNode, token: string, handle: string, content: string): Promise<string> {
  const res = await callApi<{ iri: string }>(node, token, "POST", `/api/v1/projects/${handle}/updates`, { content }, 201);
  return res.iri;
}
