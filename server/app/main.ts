import { ConfigError, loadConfig } from "../platform/config.ts";
import { configureLogging } from "../platform/logging.ts";
import { addressPolicyFor } from "../platform/outbound-http/address-policy.ts";
import { setDefaultOutboundPolicy } from "../platform/outbound-http/outbound-dispatcher.ts";
import { startNode } from "./node.ts";

/**
 * Process entry (`npm start`). SIGTERM or SIGINT drains: HTTP stops accepting, in-flight requests and
 * queue handlers finish, the database closes, the process exits 0. A second signal exits at once.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await configureLogging(config.logLevel);
  // Nothing this process fetches escapes the address policy, whichever code path it takes.
  setDefaultOutboundPolicy(addressPolicyFor(config));
  const node = await startNode(config);
  if (node.port !== undefined) {
    process.stdout.write(`Commonsnet "${config.nodeName}" listening on port ${node.port}, public URL ${config.publicUrl.href}\n`);
  } else {
    process.stdout.write(`Commonsnet "${config.nodeName}" worker running\n`);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`Received ${signal}, draining…\n`);
    node.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Commonsnet could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
