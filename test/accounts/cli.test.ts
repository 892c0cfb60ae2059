import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { verifyPassword } from "../../server/modules/accounts/password.ts";
import { findAccountByHandle } from "../../server/modules/accounts/account.repository.ts";
import {
  cleanupNodeProcesses,
  createNodeHome,
  type NodeHome,
  type NodeProcess,
  openHomeDatabase,
  startNodeProcess,
} from "../helpers/node-process.ts";
import { TEST_DATABASE_URL } from "../helpers/test-database.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NODE_BINARY = join(REPO_ROOT, "node_modules", ".bin", "node");
const CONFIG_VARIABLES = ["PORT", "PUBLIC_URL", "DATA_DIR", "DATABASE_URL", "NODE_ROLE", "REGISTRATION", "LOG_LEVEL", "NODE_ENV", "SECRET_KEY", "NODE_TEST_CONTEXT"];

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node server/app/cli/main.ts …` as `npm run cli -- …` runs it; `stdin` null means no stdin at all. */
function runCli(home: NodeHome, args: string[], stdin: string | null, command?: string[]): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  Object.assign(env, { DATA_DIR: home.dataDir, PUBLIC_URL: home.baseUrl, PORT: String(home.port), LOG_LEVEL: "info" });
  if (home.databaseUrl !== undefined) env.DATABASE_URL = home.databaseUrl;
  const [file, ...argv] = command ?? [NODE_BINARY, "server/app/cli/main.ts", ...args];
  const child = spawn(file!, argv, { cwd: REPO_ROOT, env, stdio: [stdin === null ? "ignore" : "pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  if (stdin !== null) child.stdin!.end(stdin);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

async function tokenStatus(node: NodeProcess, username: string, password: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(new URL("/api/v1/tokens", node.baseUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { token?: string };
  return { status: res.status, token: body.token };
}

async function me(node: NodeProcess, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(new URL("/api/v1/me", node.baseUrl), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

after(async () => {
  await cleanupNodeProcesses();
});

describe("npm run cli -- admin create, on the embedded database", () => {
  let home: NodeHome;
  let node: NodeProcess;

  test("with no node running: reads the password from stdin and writes to the database", async () => {
    home = await createNodeHome({ embedded: true });
    const run = await runCli(home, ["admin", "create", "alice"], "alice's long password\n");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Created admin @alice@127\.0\.0\.1:\d+ \(account 1, written to the database\)\.\n$/);
    assert.doesNotMatch(run.stdout, /Password/);
    assert.match(run.stderr, /Admin 'alice' created/, "the creation is logged");
    assert.ok(!existsSync(join(home.dataDir, "control.sock")));

    const again = await runCli(home, ["admin", "create", "Alice"], "another long password\n");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Cannot create the admin: username: is already taken/);
    assert.equal(again.stdout, "");

    // The node starts on what the CLI wrote (same secret, migrated database) and alice signs in.
    node = await startNodeProcess(home);
    const token = await tokenStatus(node, "alice", "alice's long password");
    assert.equal(token.status, 201);
    assert.deepEqual([(await me(node, token.token!)).role, (await me(node, token.token!)).status], ["admin", "active"]);
  });

  test("with the node running: asks the node through its control socket; a generated password is printed once", async () => {
    const socket = join(home.dataDir, "control.sock");
    assert.equal(statSync(socket).mode & 0o777, 0o600, "only the node's user may connect");
    const run = await runCli(home, ["admin", "create", "bob"], null);
    assert.equal(run.code, 0, `${run.stderr}\n${node.describe()}`);
    assert.match(run.stdout, /Created admin @bob@127\.0\.0\.1:\d+ \(account \d+, created by the running node\)\./);
    const match = /Password \(shown only this once\): (\S+)\n/.exec(run.stdout);
    assert.ok(match, run.stdout);
    const password = match[1]!;
    assert.ok(password.length >= 20);
    assert.equal(run.stdout.split(password).length - 1, 1, "printed once");
    assert.ok(!run.stderr.includes(password) && !node.stderr.includes(password) && !node.stdout.includes(password), "never logged");
    const token = await tokenStatus(node, "bob", password);
    assert.equal(token.status, 201);
    assert.equal((await me(node, token.token!)).role, "admin");
    assert.match(node.stderr, /Admin 'bob' created/);

    const piped = await runCli(home, ["admin", "create", "carol"], "carol's long password\r\nignored second line\n");
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal((await tokenStatus(node, "carol", "carol's long password")).status, 201);

    const taken = await runCli(home, ["admin", "create", "bob"], "whatever long password\n");
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /username: is already taken/);
    const short = await runCli(home, ["admin", "create", "dave"], "short\n");
    assert.equal(short.code, 1);
    assert.match(short.stderr, /password: must be at least 10 characters/);

    assert.equal(await node.stop(), 0);
    assert.ok(!existsSync(socket), "the socket is removed on shutdown");
  });

  test("usage errors exit 2; a bad username exits 1 naming it", async () => {
    const usage = await runCli(home, ["admin", "delete", "bob"], "");
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Usage: npm run cli -- admin create <username>/);
    assert.equal((await runCli(home, [], "")).code, 2);
    assert.equal((await runCli(home, ["admin", "create"], "")).code, 2);
    const bad = await runCli(home, ["admin", "create", "admin"], "a long enough password\n");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /username: is reserved/);
  });

  test("with a terminal on stdin: generates the password instead of waiting for one", { skip: !existsSync("/usr/bin/script") && "util-linux script(1) is not installed" }, async () => {
    // script(1) gives the CLI a pseudo-terminal, as an admin typing the command has.
    const run = await runCli(home, ["--"], null, ["/usr/bin/script", "-qec", `${NODE_BINARY} server/app/cli/main.ts admin create tty_admin`, "/dev/null"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const password = /Password \(shown only this once\): (\S+)/.exec(run.stdout)?.[1];
    assert.ok(password, run.stdout);
    const database = await openHomeDatabase(home);
    try {
      const account = await findAccountByHandle(database.db, "tty_admin");
      assert.ok(account && (await verifyPassword(password, account.passwordHash)));
    } finally {
      await database.close();
    }
  });
});

describe("npm run cli -- admin create, on PostgreSQL", { skip: TEST_DATABASE_URL === undefined && "TEST_DATABASE_URL is not set" }, () => {
  test("creates the admin directly, whether or not a node runs on the database", async () => {
    const home = await createNodeHome();
    assert.ok(home.databaseUrl);
    const run = await runCli(home, ["admin", "create", "erin"], "erin's long password\n");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /written to the database/);
    const database = await openHomeDatabase(home);
    try {
      const account = await findAccountByHandle(database.db, "erin");
      assert.equal(account?.role, "admin");
      assert.equal(account?.status, "active");
      assert.ok(await verifyPassword("erin's long password", account!.passwordHash));
    } finally {
      await database.close();
    }

    const node = await startNodeProcess(home);
    assert.ok(!existsSync(join(home.dataDir, "control.sock")), "no control socket on PostgreSQL");
    const second = await runCli(home, ["admin", "create", "frank"], null);
    assert.equal(second.code, 0, second.stderr);
    const password = /Password \(shown only this once\): (\S+)/.exec(second.stdout)![1]!;
    assert.equal((await tokenStatus(node, "frank", password)).status, 201);
    assert.equal((await tokenStatus(node, "erin", "erin's long password")).status, 201);
  });
});
