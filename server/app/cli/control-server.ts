import { chmodSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { getLogger } from "@logtape/logtape";
import { AdminCreationSchema, type AccountsService, refusalText } from "../../modules/accounts/index.ts";
import { type ControlRequest, ControlRequestSchema, type ControlResponse, controlSocketPath, MAX_CONTROL_MESSAGE_BYTES } from "./control-protocol.ts";

const logger = getLogger(["commonsnet", "control"]);

export interface ControlServer {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Listens on `DATA_DIR/control.sock` for the command line (see control-protocol.ts). Started only on
 * the embedded database; a failure to listen is logged and the node runs on without it.
 */
export async function startControlServer(dataDir: string, accounts: Pick<AccountsService, "createAdmin">): Promise<ControlServer | undefined> {
  const path = controlSocketPath(dataDir);
  // We hold the embedded database lock, so a socket file here is left over from a crashed node.
  rmSync(path, { force: true });
  const server = createServer((socket) => serveConnection(socket, (request) => handle(request, accounts)));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
    chmodSync(path, 0o600);
  } catch (error) {
    logger.warn("The command line's control socket {path} could not be opened: {error}", { path, error });
    server.close();
    return undefined;
  }
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

async function handle(request: ControlRequest, accounts: Pick<AccountsService, "createAdmin">): Promise<ControlResponse> {
  switch (request.command) {
    case "createAdmin": {
      const input = AdminCreationSchema.safeParse({ username: request.username, password: request.password });
      if (!input.success) return { ok: false, error: input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
      const result = await accounts.createAdmin(input.data);
      if (!result.ok) return { ok: false, error: refusalText(result) };
      logger.info("Admin {handle} created through the command line's control socket", { handle: result.profile.handle });
      return { ok: true, account: { id: result.profile.accountId, handle: result.profile.handle } };
    }
  }
}

function serveConnection(socket: Socket, run: (request: ControlRequest) => Promise<ControlResponse>): void {
  let buffer = "";
  let received = false;
  const reply = (response: ControlResponse) => {
    if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`);
  };
  socket.setEncoding("utf8");
  socket.setTimeout(30_000, () => socket.destroy());
  socket.on("error", () => {});
  socket.on("data", (chunk: string) => {
    if (received) return;
    buffer += chunk;
    if (buffer.length > MAX_CONTROL_MESSAGE_BYTES) {
      received = true;
      return reply({ ok: false, error: "The request is too large." });
    }
    const newline = buffer.indexOf("\n");
    if (newline === -1) return;
    received = true;
    const parsed = parseRequest(buffer.slice(0, newline));
    if (!parsed.ok) return reply(parsed);
    run(parsed.request).then(reply, (error: unknown) => {
      logger.error("Control command {command} failed: {error}", { command: parsed.request.command, error });
      reply({ ok: false, error: "The node could not do this; see its log." });
    });
  });
}

function parseRequest(line: string): { ok: true; request: ControlRequest } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: "The request is not JSON." };
  }
  const parsed = ControlRequestSchema.safeParse(json);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, error: "Unknown or malformed control command." };
}
