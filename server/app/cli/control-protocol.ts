import { join, resolve } from "node:path";
import { z } from "zod";

/**
 * The local control channel between the command line and a running node on the embedded database:
 * PGlite serves one process, so while the node holds it the CLI asks the node instead. One JSON
 * request per connection, one JSON response, each on one line, over a Unix socket (mode 0600) in
 * DATA_DIR: only the node's own user can connect.
 */
export function controlSocketPath(dataDir: string): string {
  return join(resolve(dataDir), "control.sock");
}

export const MAX_CONTROL_MESSAGE_BYTES = 64 * 1024;

export const ControlRequestSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("createAdmin"), username: z.string(), password: z.string() }),
]);
export type ControlRequest = z.output<typeof ControlRequestSchema>;

export type ControlResponse =
  | { readonly ok: true; readonly account: { readonly id: number; readonly handle: string } }
  | { readonly ok: false; readonly error: string };
