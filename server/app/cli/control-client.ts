import { connect } from "node:net";
import { type ControlRequest, type ControlResponse, MAX_CONTROL_MESSAGE_BYTES } from "./control-protocol.ts";

/** Raised when no node answers on the control socket. */
export class ControlUnavailableError extends Error {}

/**
 * Sends one command to the running node. A node that is still starting (it holds the database but
 * has not opened the socket yet) gets `waitMs` to come up.
 */
export async function sendControlRequest(path: string, request: ControlRequest, waitMs = 30_000): Promise<ControlResponse> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await exchange(path, request);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const notYet = code === "ENOENT" || code === "ECONNREFUSED";
      if (!notYet || Date.now() > deadline) {
        throw new ControlUnavailableError(`The node holding the embedded database does not answer on ${path}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function exchange(path: string, request: ControlRequest): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = "";
    socket.setEncoding("utf8");
    socket.setTimeout(60_000, () => socket.destroy(new Error("The node did not answer within 60 s")));
    socket.once("connect", () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_CONTROL_MESSAGE_BYTES) socket.destroy(new Error("The node's answer is too large"));
    });
    socket.once("error", reject);
    socket.once("close", () => {
      const line = buffer.split("\n")[0];
      if (!line) return reject(Object.assign(new Error("The node closed the control connection without answering"), { code: "EPIPE" }));
      try {
        resolve(JSON.parse(line) as ControlResponse);
      } catch {
        reject(new Error("The node's answer is not JSON"));
      }
    });
  });
}
