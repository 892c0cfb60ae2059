import { Temporal } from "@js-temporal/polyfill";
import type { RetryPolicy } from "@fedify/fedify";

/**
 * How long a failed delivery is retried: transient failures are kept for at least 72 hours, longer
 * than Mastodon's ~3.5 days of 16 attempts is not needed but a weekend-long outage of a small co-op's
 * node must not lose anything. The circuit breaker (Fedify 2.3) holds deliveries to a host that keeps
 * failing instead of hammering it, for up to 7 days.
 */
export const RETRY_HORIZON_SECONDS = 72 * 3600;

/** Delay before retry number `attempt` (1 = first retry after the first failure). */
const SCHEDULE_SECONDS = [60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 6 * 3600] as const;
const MAX_DELAY_SECONDS = 6 * 3600;

/**
 * Pure schedule: seconds to wait before the next attempt, or null to give up. Retries continue until
 * at least RETRY_HORIZON_SECONDS have passed since the first attempt: 1 min, 5 min, 15 min, 30 min,
 * 1 h, 2 h, 4 h, then every 6 h; the last retry therefore happens between 72 and 78 hours.
 */
export function deliveryRetryDelaySeconds(attempt: number, elapsedSeconds: number): number | null {
  if (elapsedSeconds >= RETRY_HORIZON_SECONDS) return null;
  const index = Math.max(0, Math.floor(attempt) - 1);
  return SCHEDULE_SECONDS[index] ?? MAX_DELAY_SECONDS;
}

/** The schedule in the shape Fedify's `outboxRetryPolicy` expects. */
export const deliveryRetryPolicy: RetryPolicy = ({ attempts, elapsedTime }) => {
  const elapsedSeconds = Temporal.Duration.from(elapsedTime).total({ unit: "seconds" });
  const delay = deliveryRetryDelaySeconds(attempts, elapsedSeconds);
  // The polyfill's Duration and the lib's Temporal type differ only in typings (stack-notes §1).
  return delay === null ? null : (Temporal.Duration.from({ seconds: delay }) as unknown as ReturnType<RetryPolicy>);
};
