import { Temporal } from "@js-temporal/polyfill";
import type { RetryPolicy } from "@fedify/fedify";

/**
 * Retry schedules. Fedify's default gives up after ~17–34 minutes (G3 in docs/security.md); a small
 * co-op's node that is down for a weekend must lose nothing, so outbound deliveries are retried for
 * at least 72 hours (Mastodon manages ~2–3 days) and inbound processing for at least 24 hours.
 * Retries are at most an hour apart, so a peer that comes back is caught up within the hour
 * (docs/security.md#limits-in-force); Fedify's circuit breaker meanwhile holds deliveries to a host that keeps failing,
 * probing it every 30 minutes, instead of hammering it.
 */
export const DELIVERY_HORIZON_SECONDS = 72 * 3600;
export const INBOX_HORIZON_SECONDS = 24 * 3600;

/** Base delay before retry number n (1-based): 1 min, 5 min, 15 min, 30 min, then hourly. */
const SCHEDULE_SECONDS = [60, 300, 900, 1800] as const;
export const MAX_DELAY_SECONDS = 3600;

/**
 * Pure schedule: seconds to wait before retry number `attempt`, or null once `horizonSeconds` have
 * passed since the first attempt. `jitter` in [0, 1) spreads retries over [base/2, base) ("equal
 * jitter") so that deliveries held during an outage do not all return in the same second.
 */
export function retryDelaySeconds(attempt: number, elapsedSeconds: number, horizonSeconds: number, jitter = 1): number | null {
  if (elapsedSeconds >= horizonSeconds) return null;
  const base = SCHEDULE_SECONDS[Math.max(0, Math.floor(attempt) - 1)] ?? MAX_DELAY_SECONDS;
  return Math.round(base / 2 + (base / 2) * Math.min(Math.max(jitter, 0), 1));
}

/**
 * Adapts a schedule to Fedify's RetryPolicy shape ({attempts, elapsedTime} → Duration | null).
 * Fedify counts `attempts` from 0 (the first failure of a message has `attempt: 0`), so retry
 * number n is `attempts + 1`.
 */
export function createRetryPolicy(horizonSeconds: number, random: () => number = Math.random): RetryPolicy {
  return ({ attempts, elapsedTime }) => {
    const elapsedSeconds = Temporal.Duration.from(elapsedTime).total({ unit: "seconds" });
    const delay = retryDelaySeconds(attempts + 1, elapsedSeconds, horizonSeconds, random());
    // The polyfill's Duration and the lib's Temporal type differ only in typings (docs/stack.md#node-24).
    return delay === null ? null : (Temporal.Duration.from({ seconds: delay }) as unknown as ReturnType<RetryPolicy>);
  };
}

export const deliveryRetryPolicy: RetryPolicy = createRetryPolicy(DELIVERY_HORIZON_SECONDS);
export const inboxRetryPolicy: RetryPolicy = createRetryPolicy(INBOX_HORIZON_SECONDS);
