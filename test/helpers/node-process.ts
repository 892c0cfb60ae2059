import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DatabaseHandle, embeddedDatabaseDir, openDatabase } from "../../server/db/open-database.ts";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase, TEST_DATABASE_URL } from "./test-database.ts";

/**
 * Real node processes for end-to-end tests, started exactly like `npm start`
 * (`node_modules/.bin/node server/app/main.ts` in the repository root). Call `cleanupNodeProcesses()` in
 * an `after()` hook: it kills what is still running, drops scratch databases and removes temp dirs.
 */

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NODE_BINARY = join(REPO_ROOT, "node_modules", ".bin", "node");
const LISTENING = /listening on port (\d+), public URL (\S+)/;
// Variables server/platform/config.ts reads; the test's own environment must not leak into the child.
const CONFIG_VARIABLES = [
  "PORT", "PUBLIC_URL", "DATA_DIR", "DATABASE_URL", "NODE_ROLE", "NODE_NAME", "NODE_DESCRIPTION",
  "REGISTRATION", "LOG_LEVEL", "NODE_ENV", "ALLOW_PRIVATE_ADDRESS", "PRIVATE_ADDRESS_ALLOW", "SECRET_KEY",
];

/** What a node keeps across restarts: its data directory, its database and its public address. */
export interface NodeHome {
  readonly dataDir: string;
  /** A scratch PostgreSQL database when TEST_DATABASE_URL is set; undefined means PGlite in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly port: number;
  /** `http://127.0.0.1:<port>`, also the node's PUBLIC_URL. */
  readonly baseUrl: string;
}

export interface NodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const live = new Set<NodeProcess>();
const tempDirs: string[] = [];
const scratchDatabases: string[] = [];

// Last resort when the test process exits or is signalled without its after() hook running: never
// leave orphans behind (a node outlives its parent and keeps its port and ~300 MB of PGlite).
let guarded = false;
function guardAgainstOrphans(): void {
  if (guarded) return;
  guarded = true;
  const killAll = () => {
    for (const node of live) node.child.kill("SIGKILL");
  };
  process.on("exit", killAll);
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/** A port nobody listens on right now (bound on 127.0.0.1, then released). */
export async function freePort(address = "127.0.0.1"): Promise<number> {
  const server = createServer();
  server.listen(0, address);
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function createTempDir(prefix = "cn-node-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A fresh home; `embedded` forces PGlite even when the run targets PostgreSQL. */
export async function createNodeHome(options: { embedded?: boolean } = {}): Promise<NodeHome> {
  const dataDir = createTempDir();
  let databaseUrl: string | undefined;
  if (TEST_DATABASE_URL !== undefined && options.embedded !== true) {
    databaseUrl = await createScratchPostgresDatabase(TEST_DATABASE_URL);
    scratchDatabases.push(databaseUrl);
  }
  const port = await freePort();
  return { dataDir, databaseUrl, port, baseUrl: `http://127.0.0.1:${port}` };
}

/** Opens the home's database from the test process. PGlite allows this only while no node runs on it. */
export async function openHomeDatabase(home: NodeHome): Promise<DatabaseHandle> {
  if (home.databaseUrl !== undefined) return await openDatabase({ databaseUrl: home.databaseUrl, poolSize: 2 });
  for (const node of live) {
    if (node.home.dataDir === home.dataDir) throw new Error(`Node process ${node.pid} still runs on ${home.dataDir}`);
  }
  return await openDatabase({ embeddedDir: embeddedDatabaseDir(home.dataDir) });
}

/** The environment of a node on `home`: the test's own, minus config variables, plus `env`. */
function childEnvironment(home: NodeHome, env: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...process.env };
  for (const name of [...CONFIG_VARIABLES, "NODE_TEST_CONTEXT"]) delete merged[name];
  Object.assign(merged, { PORT: String(home.port), PUBLIC_URL: home.baseUrl, DATA_DIR: home.dataDir, DATABASE_URL: home.databaseUrl }, env);
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** One spawned `server/app/main.ts`, with its output captured. */
export class NodeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly home: NodeHome;
  readonly baseUrl: string;
  readonly exited: Promise<NodeExit>;
  #stdout = "";
  #stderr = "";

  constructor(home: NodeHome, env: Record<string, string | undefined>) {
    this.home = home;
    this.baseUrl = home.baseUrl;
    this.child = spawn(NODE_BINARY, ["server/app/main.ts"], { cwd: REPO_ROOT, env: childEnvironment(home, env), stdio: ["ignore", "pipe", "pipe"] });
    this.pid = this.child.pid ?? -1;
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (this.#stdout += chunk));
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.#stderr += chunk));
    this.exited = new Promise<NodeExit>((resolve) => {
      // "close", not "exit": by then stdout and stderr are fully read.
      this.child.once("close", (code, signal) => resolve({ code, signal }));
      // A spawn failure (e.g. no node_modules/.bin/node) emits no "exit".
      this.child.once("error", (error) => {
        this.#stderr += `spawn failed: ${error.message}\n`;
        resolve({ code: null, signal: null });
      });
    });
    guardAgainstOrphans();
    live.add(this);
    void this.exited.then(() => live.delete(this));
  }

  /** Everything the process has printed so far. */
  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && live.has(this);
  }

  /** Exit status and the tail of the output, for assertion messages. */
  describe(): string {
    return (
      `node process ${this.pid} (exit code ${this.child.exitCode}, signal ${this.child.signalCode})\n` +
      `stdout:\n${this.#stdout.slice(-4000)}\nstderr:\n${this.#stderr.slice(-8000)}`
    );
  }

  /** Resolves on the "listening" line; rejects with the output on exit or timeout (and kills it). */
  async waitUntilListening(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = LISTENING.exec(this.#stdout);
      if (match !== null) {
        if (Number(match[1]) !== this.home.port) throw new Error(`Node listens on ${match[1]}, expected ${this.home.port}`);
        return;
      }
      if (!this.running) throw new Error(`Node exited before listening: ${this.describe()}`);
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`Node did not print its listening line within ${timeoutMs} ms: ${this.describe()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** SIGTERM (graceful drain) and the exit code; SIGKILL and an error if it takes over `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.running) this.child.kill("SIGTERM");
    const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs).unref());
    const result = await Promise.race([this.exited, timer]);
    if (result === "timeout") {
      await this.kill();
      throw new Error(`Node did not exit within ${timeoutMs} ms of SIGTERM: ${this.describe()}`);
    }
    return result.code;
  }

  /** SIGKILL: a crash. */
  async kill(): Promise<NodeExit> {
    if (this.running) this.child.kill("SIGKILL");
    return await this.exited;
  }
}

/** Spawns a node on `home` (like `npm start`); `env` adds or overrides variables, undefined removes one. */
export function spawnNodeProcess(home: NodeHome, env: Record<string, string | undefined> = {}): NodeProcess {
  return new NodeProcess(home, env);
}

/** Spawns a node and waits for its listening line. */
export async function startNodeProcess(home: NodeHome, env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<NodeProcess> {
  const node = spawnNodeProcess(home, env);
  await node.waitUntilListening(timeoutMs);
  return node;
}

/** SIGKILLs every node still running (an afterEach() hook keeps one failed test from failing the next). */
export async function killNodeProcesses(): Promise<void> {
  await Promise.all([...live].map((node) => node.kill()));
}

/** For after() hooks: kills every node still running, then drops scratch databases and temp dirs. */
export async function cleanupNodeProcesses(): Promise<void> {
  await killNodeProcesses();
  for (const url of scratchDatabases.splice(0)) await dropScratchPostgresDatabase(TEST_DATABASE_URL!, url);
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
