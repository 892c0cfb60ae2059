import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/**
 * Benchmark parts that must not share a process (the sender's CPU is measured alone, the sinks and
 * peers load the machine like remote servers would) run as forked children answering calls over
 * the IPC channel. A child exits when its parent goes away, so nothing outlives a run.
 */

type Handler = (args: any) => unknown;
interface CallMessage {
  readonly call: number;
  readonly method: string;
  readonly args: unknown;
}
interface ReplyMessage {
  readonly reply: number;
  readonly value?: unknown;
  readonly error?: string;
}

export interface Child {
  readonly pid: number;
  readonly name: string;
  call<T = unknown>(method: string, args?: unknown): Promise<T>;
  /** Asks the child to close what it opened (method "close"), then ends it. */
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
let guarded = false;

/** Last resort when the benchmark dies: no child keeps ports, PGlite memory or database connections. */
function guardAgainstOrphans(): void {
  if (guarded) return;
  guarded = true;
  process.on("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
}

/** Forks `bench/helpers/<file>` with the same Node binary and no inherited flags. */
export async function forkChild(file: string, env: Record<string, string> = {}): Promise<Child> {
  guardAgainstOrphans();
  const path = fileURLToPath(new URL(file, import.meta.url));
  const child = fork(path, [], { execArgv: [], env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.add(child);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  let next = 0;
  let exited: string | undefined;
  child.on("message", (message: ReplyMessage) => {
    const waiter = pending.get(message.reply);
    if (waiter === undefined) return;
    pending.delete(message.reply);
    if (message.error !== undefined) waiter.reject(new Error(`${file} ${waiter.method}: ${message.error}`));
    else waiter.resolve(message.value);
  });
  child.on("exit", (code, signal) => {
    children.delete(child);
    exited = `exited (code ${code}, signal ${signal})`;
    for (const waiter of pending.values()) waiter.reject(new Error(`${file} ${waiter.method}: the child ${exited}`));
    pending.clear();
  });
  await once(child, "spawn");
  const call = <T>(method: string, args?: unknown): Promise<T> => {
    if (exited !== undefined) return Promise.reject(new Error(`${file} ${method}: the child ${exited}`));
    const id = ++next;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      child.send({ call: id, method, args } satisfies CallMessage);
    });
  };
  return {
    pid: child.pid!,
    name: file,
    call,
    async stop() {
      if (exited !== undefined) return;
      const gone = once(child, "exit");
      try {
        await Promise.race([call("close"), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
      } catch {
        // already gone or close failed: kill below
      }
      child.disconnect();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      await gone;
      clearTimeout(timer);
    },
  };
}

/** In a child: answers the parent's calls with `handlers`; exits when the parent disconnects. */
export function serveCalls(handlers: Record<string, Handler>): void {
  if (process.send === undefined) throw new Error("this file runs as a child of bench/federation.ts");
  process.on("message", async (message: CallMessage) => {
    let reply: ReplyMessage;
    try {
      const handler = handlers[message.method];
      if (handler === undefined) throw new Error(`no method ${message.method}`);
      reply = { reply: message.call, value: await handler(message.args) };
    } catch (error) {
      reply = { reply: message.call, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    if (process.connected) process.send!(reply);
  });
  process.on("disconnect", () => {
    // The parent is gone or done: give "close" handlers a moment, then leave no handle behind.
    setTimeout(() => process.exit(0), 200).unref();
  });
}

/** CPU time of this process (all threads) in ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
