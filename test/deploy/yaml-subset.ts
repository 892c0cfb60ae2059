/**
 * A reader for the small part of YAML that docker-compose.yml is written in, so the deployment tests
 * need no YAML dependency: block mappings and sequences, plain, 'single' and "double" quoted scalars,
 * flow sequences of scalars (`["CMD", "pg_isready"]`), comments, anchors (`&name`), aliases (`*name`)
 * and merge keys (`<<: *name`). Anything else (block scalars, flow mappings, multi-line strings, tags)
 * is refused with its line number instead of being misread: keep the compose file inside this subset.
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };
type YamlMap = { [key: string]: YamlValue };

interface Line {
  readonly no: number;
  indent: number;
  text: string;
}

export class YamlSubsetError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "YamlSubsetError";
  }
}

export function parseYamlSubset(source: string): YamlValue {
  const lines = toLines(source);
  if (lines.length === 0) return null;
  const reader = new Reader(lines);
  const value = reader.block(lines[0]!.indent);
  const rest = reader.peek();
  if (rest !== undefined) throw new YamlSubsetError(rest.no, `unexpected indentation: ${rest.text}`);
  return value;
}

function toLines(source: string): Line[] {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    if (raw.includes("\t")) throw new YamlSubsetError(index + 1, "tabs are not allowed");
    const text = stripComment(raw).trimEnd();
    if (text.trim() === "") return;
    if (text.trim() === "---" || text.trim() === "...") throw new YamlSubsetError(index + 1, "one document only");
    const indent = text.length - text.trimStart().length;
    lines.push({ no: index + 1, indent, text: text.trimStart() });
  });
  return lines;
}

/** Drops a `#` comment that starts the line or follows a space, outside quotes. */
function stripComment(raw: string): string {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (quote !== undefined) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      if (i === 0 || /[\s:[,\-]/.test(raw[i - 1]!)) quote = ch;
    } else if (ch === "#" && (i === 0 || /\s/.test(raw[i - 1]!))) {
      return raw.slice(0, i);
    }
  }
  return raw;
}

class Reader {
  readonly #lines: Line[];
  #pos = 0;
  readonly #anchors = new Map<string, YamlValue>();

  constructor(lines: Line[]) {
    this.#lines = lines;
  }

  peek(): Line | undefined {
    return this.#lines[this.#pos];
  }

  /** A block (mapping or sequence) whose lines start at `indent`. */
  block(indent: number): YamlValue {
    const line = this.peek();
    if (line === undefined || line.indent !== indent) return null;
    return isSequenceItem(line.text) ? this.#sequence(indent) : this.#mapping(indent);
  }

  #mapping(indent: number): YamlMap {
    const map: YamlMap = {};
    const merges: YamlMap[] = [];
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      if (isSequenceItem(line.text)) throw new YamlSubsetError(line.no, "a sequence item where a mapping key was expected");
      const { key, rest } = splitKey(line);
      this.#pos++;
      if (key in map) throw new YamlSubsetError(line.no, `duplicate key '${key}'`);
      const value = this.#value(rest, line, indent);
      if (key === "<<") {
        const sources = Array.isArray(value) ? value : [value];
        for (const source of sources) {
          if (!isMap(source)) throw new YamlSubsetError(line.no, "'<<' merges only mappings");
          merges.push(source);
        }
      } else {
        map[key] = value;
      }
    }
    // Merged keys never override the mapping's own keys (YAML merge key type).
    for (const source of merges) for (const [key, value] of Object.entries(source)) if (!(key in map)) map[key] = value;
    return map;
  }

  #sequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let line = this.peek(); line !== undefined && line.indent === indent && isSequenceItem(line.text); line = this.peek()) {
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.#pos++;
        const child = this.peek();
        items.push(child !== undefined && child.indent > indent ? this.block(child.indent) : null);
      } else if (looksLikeKey(rest)) {
        // "- key: value" opens a mapping whose keys line up with `key`.
        line.indent += line.text.length - rest.length;
        line.text = rest;
        items.push(this.#mapping(line.indent));
      } else {
        this.#pos++;
        items.push(this.#inline(rest, line));
      }
    }
    return items;
  }

  /** The value after `key:`: inline, an alias, an anchored value, or a nested block. */
  #value(rest: string, line: Line, indent: number): YamlValue {
    let text = rest;
    let anchor: string | undefined;
    const anchored = /^&([\w-]+)(?:\s+(.*))?$/.exec(text);
    if (anchored !== null) {
      anchor = anchored[1]!;
      text = anchored[2] ?? "";
    }
    let value: YamlValue;
    if (text === "") {
      const child = this.peek();
      const nested = child !== undefined && (child.indent > indent || (child.indent === indent && isSequenceItem(child.text)));
      value = nested ? this.block(child.indent) : null;
    } else {
      value = this.#inline(text, line);
    }
    if (anchor !== undefined) this.#anchors.set(anchor, value);
    return value;
  }

  #inline(text: string, line: Line): YamlValue {
    const alias = /^\*([\w-]+)$/.exec(text);
    if (alias !== null) {
      const value = this.#anchors.get(alias[1]!);
      if (value === undefined) throw new YamlSubsetError(line.no, `unknown alias *${alias[1]}`);
      return value;
    }
    if (text.startsWith("[")) return parseFlowSequence(text, line);
    if (text === "{}") return {};
    return parseScalar(text, line);
  }
}

function isSequenceItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

function isMap(value: YamlValue | undefined): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function looksLikeKey(text: string): boolean {
  return /^(?:"[^"]*"|'[^']*'|[^\s"'[{&*!|>%@`#][^:]*?):(?:\s|$)/.test(text);
}

function splitKey(line: Line): { key: string; rest: string } {
  const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'[{&*!|>%@`#][^:]*?):(?:\s+(.*))?$/.exec(line.text);
  if (match === null) throw new YamlSubsetError(line.no, `expected 'key: value', got: ${line.text}`);
  const rawKey = match[1]!;
  const key = rawKey.startsWith('"') || rawKey.startsWith("'") ? String(parseScalar(rawKey, line)) : rawKey.trimEnd();
  return { key, rest: (match[2] ?? "").trim() };
}

function parseFlowSequence(text: string, line: Line): YamlValue[] {
  if (!text.endsWith("]")) throw new YamlSubsetError(line.no, "a flow sequence must end on its line");
  const inner = text.slice(1, -1).trim();
  if (inner === "") return [];
  const items: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (quote !== undefined) {
      current += ch;
      if (ch === "\\" && quote === '"') current += inner[++i] ?? "";
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === "[" || ch === "{") {
      throw new YamlSubsetError(line.no, "nested flow collections are not supported");
    } else if (ch === ",") {
      items.push(current.trim());
      current = "";
    } else {
      current += ch;
    }
  }
  if (quote !== undefined) throw new YamlSubsetError(line.no, "unterminated quote");
  if (current.trim() !== "") items.push(current.trim());
  return items.map((item) => parseScalar(item, line));
}

function parseScalar(text: string, line: Line): YamlValue {
  if (text.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) throw new YamlSubsetError(line.no, `bad double-quoted string: ${text}`);
    try {
      // JSON's escapes are the subset of YAML's double-quoted escapes that a compose file needs.
      return JSON.parse(text) as string;
    } catch {
      throw new YamlSubsetError(line.no, `unsupported escape in ${text}`);
    }
  }
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text)) throw new YamlSubsetError(line.no, `bad single-quoted string: ${text}`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (/^[|>!%@`{]/.test(text)) throw new YamlSubsetError(line.no, `unsupported YAML syntax: ${text}`);
  if (/:(\s|$)/.test(text)) throw new YamlSubsetError(line.no, `quote a plain value that contains ': ': ${text}`);
  if (text === "~" || text === "null" || text === "Null" || text === "NULL") return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text)) return Number.parseInt(text, 10);
  if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number.parseFloat(text);
  return text;
}
