/** One changed value between two JSON documents; `null` stands for "absent" on that side. */
export interface JsonChange {
  /** Dot-separated keys from the root, e.g. `federation.block`. */
  readonly path: string;
  readonly old: unknown;
  readonly new: unknown;
}

type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Deep equality of JSON values (objects by keys, arrays by position). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => jsonEqual(a[key], b[key]));
  }
  return false;
}

/**
 * The paths whose values differ between `from` and `to`, in key order. Objects are walked key by
 * key; anything else (arrays included) is a leaf compared whole, so a charter's host list shows as
 * one change with the old and the new list, which is how an admin reads it.
 */
export function diffJson(from: unknown, to: unknown, path: readonly string[] = []): JsonChange[] {
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    return keys.flatMap((key) => diffJson(from[key], to[key], [...path, key]));
  }
  if (jsonEqual(from, to)) return [];
  return [{ path: path.join(".") || "(document)", old: from ?? null, new: to ?? null }];
}
