import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";
import { cpuMs } from "./child-rpc.ts";

/**
 * V8's sampling profiler on this process's main thread, started and stopped around one benchmark
 * round (node:inspector, the same data `--cpu-prof` writes), boiled down to where the time went:
 * by package (inclusive: a sample counts for every package on its stack) and by a few named functions.
 * Work on other threads (WebCrypto signing on the libuv pool, GC helpers, postgres.js sockets are
 * main-thread) is not sampled; `cpuMs` over the same window shows how much that is.
 */
export interface ProfileSummary {
  readonly wallMs: number;
  /** Process CPU (all threads) during the window. */
  readonly cpuMs: number;
  /** Main-thread time not idle, from the samples. */
  readonly busyMs: number;
  /**
   * Main-thread time by what was running (self time). Builtins, and Node's own helpers such as
   * structuredClone, count for the package that called them; the event loop itself is "node core".
   */
  readonly self: readonly Share[];
  /** Main-thread time with this package anywhere on the stack. */
  readonly inclusive: readonly Share[];
  /** Main-thread time inside these functions (inclusive). */
  readonly functions: readonly Share[];
  /** The functions with the most self time (`name (file)`), builtins under their own names. */
  readonly hotFunctions: readonly Share[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** Functions worth naming when they take time (name, and a piece of the script URL to be sure). */
const NAMED_FUNCTIONS: readonly (readonly [label: string, functionName: string, url: string])[] = [
  ["Fedify signJsonLd (LD signature)", "signJsonLd", "@fedify"],
  ["Fedify signObject (Object Integrity Proof)", "signObject", "@fedify"],
  ["outbox relay: sign the stored activity (proof + LD signature)", "signOutgoingActivity", "sign-outgoing"],
  ["Fedify verifyJsonLd (LD signature check)", "verifyJsonLd", "@fedify"],
  ["Fedify verifyProof (integrity proof check)", "verifyProof", "@fedify"],
  ["Fedify verifyRequest (HTTP signature check)", "verifyRequest", "@fedify"],
  ["Fedify signRequest (HTTP signature)", "signRequest", "@fedify"],
  ["Fedify importJwk (keys from queued message)", "importJwk", "@fedify"],
  ["vocab fromJsonLd (parse activity)", "fromJsonLd", "@fedify/vocab"],
  ["vocab toJsonLd (serialise activity)", "toJsonLd", "@fedify/vocab"],
  ["queue: claim messages, delete finished ones", "#finishAndClaim", "kysely-message-queue"],
  ["queue: enqueue (batched INSERT)", "#insert", "kysely-message-queue"],
  ["SecretBox seal (queue messages)", "seal", "secret-box"],
  ["SecretBox open (queue messages)", "open", "secret-box"],
  ["KV store (cache, circuit breaker)", "", "kysely-kv-store"],
  ["inbox guard middleware", "", "inbox-guard-middleware"],
  ["undici fetch (outgoing HTTP)", "fetch", "undici"],
];

export class CpuProfiler {
  readonly #session = new Session();
  #startedAt = 0;
  #cpuAtStart = 0;

  async start(): Promise<void> {
    this.#session.connect();
    await this.#session.post("Profiler.enable");
    await this.#session.post("Profiler.setSamplingInterval", { interval: 500 });
    await this.#session.post("Profiler.start");
    this.#startedAt = performance.now();
    this.#cpuAtStart = cpuMs();
  }

  async stop(): Promise<ProfileSummary> {
    const { profile } = (await this.#session.post("Profiler.stop")) as unknown as { profile: Profile };
    const wallMs = performance.now() - this.#startedAt;
    const cpu = cpuMs() - this.#cpuAtStart;
    await this.#session.post("Profiler.disable");
    this.#session.disconnect();
    return summarize(profile, wallMs, cpu);
  }
}

function summarize(profile: Profile, wallMs: number, cpu: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  const hot = new Map<string, number>();
  let busy = 0;
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(idle)") return;
    busy += ms;
    const packages = new Set<string>();
    const named = new Set<string>();
    let selfCategory: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const category = categoryOf(frame);
      if (category !== undefined) {
        // Node's own helpers (structuredClone, Buffer, URL) count for the package that called them.
        if (selfCategory === "node core" && category !== "node core" && !category.startsWith("node ")) selfCategory = category;
        selfCategory ??= category;
        packages.add(category);
      }
      for (const [label, name, url] of NAMED_FUNCTIONS) {
        if ((name === "" || frame.functionName === name) && frame.url.includes(url)) named.add(label);
      }
    }
    add(self, selfCategory ?? "V8 builtins/native", ms);
    add(hot, hotName(node, byId.get(parent.get(id) ?? -1)), ms);
    for (const p of packages) add(inclusive, p, ms);
    for (const n of named) add(functions, n, ms);
  });
  const sorted = (map: Map<string, number>) => [...map].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return { wallMs, cpuMs: cpu, busyMs: busy, self: sorted(self), inclusive: sorted(inclusive), functions: sorted(functions), hotFunctions: sorted(hot).slice(0, 40) };
}

/** `name (dir/file)`; a builtin is named with its caller, which says more (`run ← signVerify`). */
function hotName(node: ProfileNode, caller: ProfileNode | undefined): string {
  const { functionName, url } = node.callFrame;
  const where = (frame: ProfileNode["callFrame"]) => frame.url.split("/").slice(-2).join("/");
  if (url !== "" || caller === undefined || functionName.startsWith("(")) return `${functionName || "(anonymous)"} (${where(node.callFrame) || "V8"})`;
  return `${functionName || "(anonymous)"} ← ${caller.callFrame.functionName || "(anonymous)"} (${where(caller.callFrame) || "V8"})`;
}

/** What a frame belongs to: an npm package, a part of Node, our code, or a V8 pseudo-frame. */
function categoryOf(frame: ProfileNode["callFrame"]): string | undefined {
  const { functionName, url } = frame;
  if (functionName === "(garbage collector)") return "GC (main thread)";
  if (functionName === "(program)") return "V8/native (program)";
  if (functionName === "(root)") return undefined;
  // A builtin counts for its caller, and so does WebAssembly: PGlite's PostgreSQL, but also undici's
  // HTTP parser (llhttp), both called from their package's JavaScript.
  if (url === "" || url.startsWith("wasm://")) return undefined;
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const [first = "", second = ""] = url.slice(modules + "/node_modules/".length).split("/");
    return first.startsWith("@") ? `${first}/${second}` : first;
  }
  if (url.startsWith("node:")) return nodeCategory(url);
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  if (path.startsWith(REPO)) {
    const relative = path.slice(REPO.length);
    if (relative.startsWith("bench/")) return "bench harness";
    if (relative.startsWith("server/queue/") || relative.startsWith("server/platform/secret-box")) return "commonsnet queue";
    return `commonsnet ${relative.split("/")[0]}`;
  }
  return "other";
}

function nodeCategory(url: string): string {
  if (url.includes("undici")) return "node fetch (undici)";
  if (url.includes("webstreams")) return "node web streams";
  if (url.includes("/http") || url.includes("_http_")) return "node http";
  if (url.includes("crypto")) return "node crypto";
  if (url.includes("net") || url.includes("stream")) return "node net/streams";
  return "node core";
}
