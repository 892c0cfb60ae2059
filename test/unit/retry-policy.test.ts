import assert from "node:assert/strict";
import { test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import {
  createRetryPolicy,
  DELIVERY_HORIZON_SECONDS,
  INBOX_HORIZON_SECONDS,
  MAX_DELAY_SECONDS,
  retryDelaySeconds,
} from "../../federation/retry-policy.ts";

/** Follows a schedule from the first failure until it gives up; returns the retry times in seconds. */
function simulate(horizon: number, jitter: number): number[] {
  const times: number[] = [];
  let elapsed = 0;
  for (let attempt = 1; attempt < 10_000; attempt++) {
    const delay = retryDelaySeconds(attempt, elapsed, horizon, jitter);
    if (delay === null) return times;
    elapsed += delay;
    times.push(elapsed);
  }
  assert.fail("the schedule never gives up");
}

test("the first retries come quickly, for a peer that blinked", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelaySeconds(n, 0, DELIVERY_HORIZON_SECONDS)), [60, 300, 900, 1800, 3600, 3600]);
});

test("jitter spreads a retry over the upper half of its base delay", () => {
  assert.equal(retryDelaySeconds(1, 0, DELIVERY_HORIZON_SECONDS, 0), 30);
  assert.equal(retryDelaySeconds(1, 0, DELIVERY_HORIZON_SECONDS, 0.5), 45);
  assert.equal(retryDelaySeconds(5, 0, DELIVERY_HORIZON_SECONDS, 0), 1800);
});

for (const jitter of [0, 0.5, 1]) {
  test(`a peer that is down keeps its deliveries for at least 72 hours (jitter ${jitter})`, () => {
    const times = simulate(DELIVERY_HORIZON_SECONDS, jitter);
    const last = times.at(-1)!;
    assert.ok(last >= DELIVERY_HORIZON_SECONDS, `last retry at ${last / 3600} h`);
    assert.ok(last < DELIVERY_HORIZON_SECONDS + MAX_DELAY_SECONDS, `last retry at ${last / 3600} h is later than needed`);
    const gaps = times.map((t, i) => t - (times[i - 1] ?? 0));
    // At most an hour between tries: a peer that comes back is caught up within the hour.
    assert.ok(Math.max(...gaps) <= 3600);
  });
}

test("the schedule without jitter: 1, 5, 15, 30 minutes, then hourly until 72 hours have passed", () => {
  const times = simulate(DELIVERY_HORIZON_SECONDS, 1);
  // 51 minutes of growing steps, then 72 hourly retries: the last at 72 h 51 min.
  assert.equal(times.length, 76);
  assert.equal(times.at(-1), 3060 + 72 * 3600);
});

test("inbound processing is retried for at least 24 hours", () => {
  const times = simulate(INBOX_HORIZON_SECONDS, 1);
  assert.ok(times.at(-1)! >= INBOX_HORIZON_SECONDS);
  assert.ok(times.at(-1)! < INBOX_HORIZON_SECONDS + 3600);
});

test("past the horizon the delivery is given up", () => {
  assert.equal(retryDelaySeconds(80, DELIVERY_HORIZON_SECONDS, DELIVERY_HORIZON_SECONDS), null);
  assert.equal(retryDelaySeconds(5, DELIVERY_HORIZON_SECONDS + 1, DELIVERY_HORIZON_SECONDS), null);
});

test("Fedify's policy adapter returns the same schedule as Durations", () => {
  const policy = createRetryPolicy(DELIVERY_HORIZON_SECONDS, () => 1);
  const seconds = (attempts: number, elapsed: object) =>
    policy({ attempts, elapsedTime: Temporal.Duration.from(elapsed) as never }) as unknown as Temporal.Duration | null;
  // Fedify passes attempts = 0 after the first failure.
  assert.equal(seconds(0, { seconds: 0 })?.total({ unit: "seconds" }), 60);
  assert.equal(seconds(1, { minutes: 1 })?.total({ unit: "seconds" }), 300);
  assert.equal(seconds(3, { minutes: 21 })?.total({ unit: "seconds" }), 1800);
  assert.equal(seconds(80, { hours: 73 }), null);
});
