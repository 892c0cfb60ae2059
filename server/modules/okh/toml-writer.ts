// A small TOML 1.0 writer (https://toml.io/en/v1.0.0) for the manifests we export: strings, numbers,
// booleans, arrays, tables and arrays of tables. Only what okh.toml needs, written so any TOML 1.0
// parser reads back exactly the values given (test/designs/okh-toml-writer.test.ts parses them back).

export type TomlValue = string | number | boolean | readonly TomlValue[] | TomlTable;
export interface TomlTable {
  readonly [key: string]: TomlValue | undefined | null;
}

/** Keys made only of ASCII letters, digits, `-` and `_` may be bare (spec "Keys"); any other is quoted. */
const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A basic string (spec "String"): `"` and `\` escaped, control characters as \b \t \n \f \r or \uXXXX, the rest as UTF-8. */
export function tomlString(value: string): string {
  // TOML text is Unicode: a lone surrogate (possible in a JS string) cannot be written, so it becomes U+FFFD.
  const escaped = value.toWellFormed().replace(/[\u0000-\u001f\u007f"\\]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`);
  return `"${escaped}"`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };

export function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : tomlString(key);
}

function tomlNumber(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  // An integer stays an integer; a float always shows a fraction or an exponent, so it reads back as a float.
  if (Number.isInteger(value)) return Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : value.toExponential().replace("e+", "e");
  return String(value).replace("e+", "e");
}

const isTable = (value: unknown): value is TomlTable => typeof value === "object" && value !== null && !Array.isArray(value);
const isTableArray = (value: unknown): value is readonly TomlTable[] => Array.isArray(value) && value.length > 0 && value.every(isTable);

function inlineValue(value: TomlValue): string {
  if (typeof value === "string") return tomlString(value);
  if (typeof value === "number") return tomlNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map((item) => inlineValue(item)).join(", ")}]`;
  const entries = Object.entries(value as TomlTable).filter((entry): entry is [string, TomlValue] => entry[1] !== undefined && entry[1] !== null);
  return `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${inlineValue(v)}`).join(", ")} }`;
}

/**
 * A document: in each table its plain keys come first, then its sub-tables and arrays of tables, as
 * TOML requires (a key after a `[header]` belongs to that header's table). `undefined` and `null`
 * values are left out (TOML has no null).
 */
export function writeToml(document: TomlTable): string {
  const lines: string[] = [];
  writeTable(lines, document, []);
  return `${lines.join("\n").replace(/^\n+/, "")}\n`;
}

function writeTable(lines: string[], table: TomlTable, path: readonly string[]): void {
  const entries = Object.entries(table).filter((entry): entry is [string, TomlValue] => entry[1] !== undefined && entry[1] !== null);
  const nested = (value: TomlValue) => isTable(value) || isTableArray(value);
  for (const [key, value] of entries) if (!nested(value)) lines.push(`${tomlKey(key)} = ${inlineValue(value)}`);
  for (const [key, value] of entries) {
    const header = [...path, key].map(tomlKey).join(".");
    if (isTable(value)) {
      lines.push("", `[${header}]`);
      writeTable(lines, value, [...path, key]);
    } else if (isTableArray(value)) {
      for (const item of value) {
        lines.push("", `[[${header}]]`);
        writeTable(lines, item, [...path, key]);
      }
    }
  }
}
