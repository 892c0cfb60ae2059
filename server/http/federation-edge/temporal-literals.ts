import { z } from "zod";

/**
 * ActivityStreams properties whose values are typed literals, `xsd:dateTime` (published, updated,
 * startTime, endTime, deleted) or `xsd:duration` (duration) (Activity Vocabulary, section 4). Fedify's parser
 * reads them as strings and throws a TypeError on a number, a boolean or an object, which surfaced
 * as a 500. `closed` is left out: it may also be a boolean or an object.
 */
const TEMPORAL = new Set(["published", "updated", "startTime", "endTime", "deleted", "duration"]);

/** A string, null, or the expanded form `{"@value": "…"}`, alone or in an array. */
const Literal = z.union([z.string(), z.null(), z.looseObject({ "@value": z.string() })]);
const TemporalValue = z.union([Literal, z.array(Literal)]);

/**
 * What is wrong with the first date or duration in `json` (an activity, at any depth) that is not
 * text, or null. The document was bounded by the admission first, so the walk is bounded too.
 */
export function temporalLiteralProblem(json: unknown): string | null {
  const pending: unknown[] = [json];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== "object") continue;
    if (Array.isArray(current)) {
      pending.push(...current);
      continue;
    }
    for (const [name, value] of Object.entries(current)) {
      if (TEMPORAL.has(name) && !TemporalValue.safeParse(value).success) {
        return `The property ${name} must be an ISO 8601 ${name === "duration" ? "duration" : "date-time"} string, not ${JSON.stringify(value).slice(0, 40)}.`;
      }
      pending.push(value);
    }
  }
  return null;
}
