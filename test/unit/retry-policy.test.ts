import assert from "node:assert/strict";
import { test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import { deliveryRetryDelaySeconds, deliveryRetryPolicy, RETRY_HORIZON_SECONDS } from "../../federation/retry-policy.ts";

/** Follows the schedule from the first failure until it gives up; returns the retry times in seconds. */
function simulate(): number[] {
  const times: number[] = [];
  let elapsed = 0;
  for (let attempt = 1; attempt < 1000; attempt++) {
    const delay = deliveryRetryDelaySeconds(attempt, elapsed);
    if (delay === null) return times;
    elapsed += delay;
    times.push(elapsed);
  }
  assert.fail("the schedule never gives up");
}

test("the first retries come quickly, for a peer that blinked", () => {
  assert.equal(deliveryRetryDelaySeconds(1, 0), 60);
  assert.equal(deliveryRetryDelaySeconds(2, 60), 300);
  assert.equal(deliveryRetryDelaySeconds(3, 360), 900);
});

test("a peer that is down keeps its deliveries for at least 72 hours", () => {
  const times = simulate();
  const last = times.at(-1)!;
  assert.ok(last >= RETRY_HORIZON_SECONDS, `last retry at ${last / 3600} h`);
  assert.ok(last <= RETRY_HORIZON_SECONDS + 6 * 3600, `last retry at ${last / 3600} h is later than needed`);
  assert.equal(RETRY_HORIZON_SECONDS, 72 * 3600);
});

test("retries are never more than 6 hours apart and never shrink", () => {
  const times = simulate();
  const gaps = times.map((t, i) => t - (times[i - 1] ?? 0));
  for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i]! >= gaps[i - 1]!, `gap ${i} shrank`);
  assert.equal(Math.max(...gaps), 6 * 3600);
  // 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, then 6 h: 7 growing steps and 6-hourly retries.
  assert.deepEqual(gaps.slice(0, 8), [60, 300, 900, 1800, 3600, 7200, 14400, 21600]);
  // 7.85 h of growing steps, then 11 six-hourly retries: the 18th retry lands at 73.85 h.
  assert.equal(times.length, 18);
  assert.equal(times.at(-1), 28260 + 11 * 21600);
});

test("after 72 hours the delivery is given up", () => {
  assert.equal(deliveryRetryDelaySeconds(20, RETRY_HORIZON_SECONDS), null);
  assert.equal(deliveryRetryDelaySeconds(5, RETRY_HORIZON_SECONDS + 1), null);
});

test("Fedify's policy adapter returns the same schedule as Durations", () => {
  const first = deliveryRetryPolicy({ attempts: 1, elapsedTime: Temporal.Duration.from({ seconds: 0 }) as never });
  assert.equal(Temporal.Duration.from(first as never).total({ unit: "seconds" }), 60);
  const fourth = deliveryRetryPolicy({ attempts: 4, elapsedTime: Temporal.Duration.from({ minutes: 21 }) as never });
  assert.equal(Temporal.Duration.from(fourth as never).total({ unit: "seconds" }), 1800);
  const over = deliveryRetryPolicy({ attempts: 19, elapsedTime: Temporal.Duration.from({ hours: 73 }) as never });
  assert.equal(over, null);
});
