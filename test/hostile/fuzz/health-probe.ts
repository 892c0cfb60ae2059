import type { TestNode } from "../../helpers/test-node.ts";

export interface HealthProbe {
  /** What the fuzzer is sending now, named in the report of a slow probe. */
  current: string;
  stop(): Promise<{ probes: number; slowestMs: number; problems: string[] }>;
}

/**
 * GET /healthz every `intervalMs` while the fuzzer runs, as a load balancer would. An answer slower
 * than `limitMs`, or other than 200, means a hostile request starved the node (a blocked event loop,
 * a held connection, a queue of retries).
 */
export function startHealthProbe(node: TestNode, intervalMs: number, limitMs: number): HealthProbe {
  const problems: string[] = [];
  let probes = 0;
  let slowestMs = 0;
  let stopped = false;
  let inFlight: Promise<void> | undefined;
  const probe = async () => {
    const started = performance.now();
    const during = new Set([handle.current]);
    const watch = setInterval(() => during.add(handle.current), 10);
    let res: { status: number; text: string };
    try {
      res = await node.http.get("/healthz");
    } finally {
      clearInterval(watch);
    }
    const elapsed = performance.now() - started;
    probes++;
    slowestMs = Math.max(slowestMs, elapsed);
    if (res.status !== 200) problems.push(`/healthz answered ${res.status}: ${res.text.slice(0, 300)}`);
    if (elapsed > limitMs) problems.push(`/healthz took ${Math.round(elapsed)} ms (limit ${limitMs} ms) while the fuzzer sent: ${[...during].join(" | ")}`);
  };
  // One probe at a time: a slow answer is measured in full, not hidden by the next one.
  const timer = setInterval(() => {
    if (stopped || inFlight !== undefined) return;
    inFlight = probe()
      .catch((error: unknown) => void problems.push(`/healthz failed: ${String(error)}`))
      .finally(() => (inFlight = undefined));
  }, intervalMs);
  const handle: HealthProbe = {
    current: "",
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
      return { probes, slowestMs, problems };
    },
  };
  return handle;
}
