import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serveCalls } from "./child-rpc.ts";

/**
 * Child process: many loopback "remote servers" that take every POST with 202 as fast as they can and
 * count it. They do not verify signatures (that cost is the receiver's, not the sender's); they only
 * check that each delivery carries one, and record which inbox it went to and the activity type.
 */

interface Target {
  readonly count: number;
  readonly resolve: (result: Received) => void;
}

export interface Received {
  readonly total: number;
  /** performance.timeOrigin + performance.now() when the last counted delivery arrived (ms). */
  readonly lastAt: number;
  readonly distinctInboxes: number;
  readonly unsigned: number;
  readonly types: Record<string, number>;
  readonly perServerMax: number;
  readonly perServerMin: number;
  /** performance.timeOrigin-based arrival time of the first delivery and of the median one (ms). */
  readonly firstAt: number;
  readonly medianAt: number;
}

const servers: Server[] = [];
const perServer: number[] = [];
let total = 0;
let lastAt = 0;
let arrivals: number[] = [];
let unsigned = 0;
let inboxes = new Set<string>();
let types: Record<string, number> = {};
let target: Target | undefined;

function snapshot(): Received {
  return {
    total,
    lastAt,
    distinctInboxes: inboxes.size,
    unsigned,
    types: { ...types },
    perServerMax: Math.max(...perServer),
    perServerMin: Math.min(...perServer),
    firstAt: arrivals[0] ?? 0,
    medianAt: arrivals[Math.floor(arrivals.length / 2)] ?? 0,
  };
}

function listen(index: number): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.writeHead(202, { "Content-Type": "text/plain" }).end();
      if (req.method !== "POST") return;
      total++;
      perServer[index]!++;
      lastAt = performance.timeOrigin + performance.now();
      arrivals.push(lastAt);
      if (req.headers.signature === undefined && req.headers["signature-input"] === undefined) unsigned++;
      inboxes.add(`${req.headers.host}${req.url}`);
      let type = "unparsable";
      try {
        type = String((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { type?: unknown }).type);
      } catch {
        // counted as unparsable
      }
      types[type] = (types[type] ?? 0) + 1;
      if (target !== undefined && total >= target.count) {
        const { resolve } = target;
        target = undefined;
        resolve(snapshot());
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  servers.push(server);
  perServer.push(0);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

serveCalls({
  async open({ count }: { count: number }): Promise<number[]> {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) ports.push(await listen(i));
    return ports;
  },
  reset(): void {
    total = 0;
    lastAt = 0;
    arrivals = [];
    unsigned = 0;
    inboxes = new Set();
    types = {};
    perServer.fill(0);
  },
  /** Resolves once `count` deliveries arrived since the last reset, or with what came after `timeoutMs`. */
  waitFor({ count, timeoutMs }: { count: number; timeoutMs: number }): Promise<Received> {
    if (total >= count) return Promise.resolve(snapshot());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        target = undefined;
        resolve(snapshot());
      }, timeoutMs);
      target = {
        count,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
    });
  },
  snapshot,
  async close(): Promise<void> {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  },
});
