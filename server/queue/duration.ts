/** The fields of a Temporal.Duration we read; Fedify passes Temporal objects, tests may pass plain ones. */
export interface DurationFields {
  readonly weeks?: number;
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly milliseconds?: number;
  readonly microseconds?: number;
  readonly nanoseconds?: number;
}

/**
 * Milliseconds in a duration without calendar units. Computed from fields so it works with the
 * polyfill's Duration and the lib type alike (their `total` signatures differ, docs/stack.md#node-24).
 */
export function durationToMs(d: DurationFields | undefined): number {
  if (d === undefined) return 0;
  const ms =
    (d.weeks ?? 0) * 604_800_000 +
    (d.days ?? 0) * 86_400_000 +
    (d.hours ?? 0) * 3_600_000 +
    (d.minutes ?? 0) * 60_000 +
    (d.seconds ?? 0) * 1000 +
    (d.milliseconds ?? 0) +
    (d.microseconds ?? 0) / 1000 +
    (d.nanoseconds ?? 0) / 1_000_000;
  return Math.max(0, ms);
}
