/** Idle workers of each queue in this process, so an enqueue here wakes them at once. */
const idleWorkers = new Map<string, Set<() => void>>();

/** Wakes as many idle workers of a queue as there are new messages (not all of them: each would claim). */
export function wakeIdleWorkers(queue: string, count: number): void {
  const idle = idleWorkers.get(queue);
  if (idle === undefined) return;
  for (const wake of [...idle].slice(0, count)) wake();
}

/**
 * Sleeps until woken by an enqueue in this process, `pollIntervalMs` passes (work enqueued by other
 * processes is found by polling), or `signal` aborts.
 */
export function idleUntilWoken(queue: string, pollIntervalMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  let idle = idleWorkers.get(queue);
  if (idle === undefined) idleWorkers.set(queue, (idle = new Set()));
  const workers = idle;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      workers.delete(done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, pollIntervalMs);
    workers.add(done);
    signal.addEventListener("abort", done, { once: true });
  });
}
