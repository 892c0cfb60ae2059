/**
 * The JSON Canonicalization Scheme (RFC 8785), which eddsa-jcs-2022 proofs hash (FEP-8b32). For
 * values parsed from JSON, ECMAScript's JSON.stringify already writes strings and numbers the way
 * RFC 8785 §3.2.2 requires; what it adds is member order by UTF-16 code units (§3.2.3), which is
 * the default sort of JavaScript strings, and no whitespace.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("RFC 8785 has no form for NaN or Infinity");
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(",")}}`;
}
