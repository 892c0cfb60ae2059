import { Temporal as Polyfill } from "@js-temporal/polyfill";

/**
 * A Date as the Temporal.Instant Fedify's vocabulary wants. Node 24 has no global Temporal at runtime,
 * so the polyfill makes the value; its type differs from the lib's only in typings (docs/stack.md#node-24).
 */
export function toInstant(date: Date): Temporal.Instant {
  return Polyfill.Instant.fromEpochMilliseconds(date.getTime()) as unknown as Temporal.Instant;
}
