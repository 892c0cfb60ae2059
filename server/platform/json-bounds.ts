/**
 * Bounds on the shape of a parsed JSON document, checked by one iterative walk before the document
 * reaches zod, JSON-LD processing, Fedify or the database. Recursive consumers (JSON-LD expansion,
 * schema validation, our own walkers) cost time and stack in proportion to nesting and size; a
 * bounded document keeps every one of them bounded. Text is checked too: PostgreSQL's `text` refuses
 * U+0000, and a lone UTF-16 surrogate cannot be encoded as UTF-8, so either would fail later as a 500.
 */
export interface JsonLimits {
  /** Nesting of objects and arrays; the top-level value is depth 1. */
  readonly maxDepth: number;
  /** Object members in the whole document. */
  readonly maxMembers: number;
  /** Array elements in the whole document. */
  readonly maxElements: number;
  /** UTF-16 code units in any one string or member name. */
  readonly maxStringLength: number;
}

/** What was wrong with a document, in words a sender can act on; null when it is within bounds. */
export function jsonBoundsViolation(value: unknown, limits: JsonLimits): string | null {
  let members = 0;
  let elements = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current === "string") {
      const problem = textProblem(current, limits);
      if (problem !== null) return `A string ${problem}.`;
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (depth > limits.maxDepth) return `The document is nested deeper than ${limits.maxDepth} levels.`;
    if (Array.isArray(current)) {
      elements += current.length;
      if (elements > limits.maxElements) return `The document has more than ${limits.maxElements} array elements.`;
      for (const item of current) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [name, member] of Object.entries(current)) {
      if (++members > limits.maxMembers) return `The document has more than ${limits.maxMembers} object members.`;
      const problem = textProblem(name, limits);
      if (problem !== null) return `A member name ${problem}.`;
      pending.push({ value: member, depth: depth + 1 });
    }
  }
  return null;
}

/** Why a string cannot be stored or shown as text, or null. */
export function textProblem(text: string, limits?: Pick<JsonLimits, "maxStringLength">): string | null {
  if (limits !== undefined && text.length > limits.maxStringLength) return `is longer than ${limits.maxStringLength} characters`;
  if (text.includes("\u0000")) return "contains a NUL character (U+0000)";
  if (!text.isWellFormed()) return "contains a lone UTF-16 surrogate (not a Unicode character)";
  return null;
}
