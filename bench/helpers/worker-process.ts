import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../server/platform/config.ts";
import { type RunningNode, startNode } from "../../server/app/node.ts";
import { serveCalls } from "./child-rpc.ts";

/**
 * Child process: one more process of the sending node in role `worker`, started exactly as
 * `NODE_ROLE=worker npm start` would, on the sender's PostgreSQL database (what-if: does a second
 * process put the second core to work?).
 */

let node: RunningNode | undefined;
let dataDir: string | undefined;

serveCalls({
  async start({ databaseUrl, origin, secret }: { databaseUrl: string; origin: string; secret: string }) {
    dataDir = mkdtempSync(join(tmpdir(), "cn-bench-worker-"));
    node = await startNode(
      loadConfig({
        NODE_ROLE: "worker",
        DATABASE_URL: databaseUrl,
        PUBLIC_URL: origin,
        SECRET_KEY: secret,
        DATA_DIR: dataDir,
        NODE_ENV: "test",
        ALLOW_PRIVATE_ADDRESS: "true",
        REGISTRATION: "closed",
      }),
    );
    return process.pid;
  },
  async close() {
    await node?.stop();
    node = undefined;
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  },
});
