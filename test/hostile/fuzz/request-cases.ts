import { CSRF_COOKIE, CSRF_FIELD } from "../../../server/http/csrf.ts";
import { CSRF_TOKEN, type FuzzWorld, type Persona, realParameter } from "./fuzz-world.ts";
import { HOSTILE_STRINGS, hostileJsonValue, hostileText, malformedJson, percentEncode, WRONG_CONTENT_TYPES } from "./hostile-values.ts";
import { fillPath, type JsonSchema, type RouteTarget } from "./route-catalogue.ts";
import type { Random } from "./seeded-random.ts";
import { type FormFields, formFieldSeed, seedFromSchema } from "./seed-values.ts";

/** One request the fuzzer sends, described well enough to print and replay. */
export interface FuzzCase {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

const MAX_URL_LENGTH = 7_000;
/** Query names the routes read without always documenting them (paging and search). */
const COMMON_QUERY = ["q", "limit", "cursor", "page", "before", "next", "from", "resource", "rel"];

/** A request to `route` as `persona`: real or hostile path values, a hostile query, a mutated body. */
export function requestCase(world: FuzzWorld, route: RouteTarget, persona: Persona, random: Random, forms: Map<string, FormFields>, n: number): FuzzCase {
  const labels: string[] = [];
  const hostilePath = random.chance(0.3);
  const path = fillPath(route.path, (name, after, constraint) => {
    if (hostilePath && random.chance(0.7)) {
      const value = hostileText(random);
      labels.push(`${name}=${shown(value)}`);
      return percentEncode(value);
    }
    return realParameter(world, name, after, constraint);
  });
  const queryLabels: string[] = [];
  let query = route.method === "GET" || random.chance(0.2) ? hostileQuery(route, random, queryLabels) : "";
  // Within Node's 16 KB limit for the request line and headers (see MAX_URL_VALUE).
  if (path.length + query.length > MAX_URL_LENGTH) query = "";
  else labels.push(...queryLabels);
  const accept = route.api ? "application/json" : route.activityPub ? "application/activity+json" : random.pick(["text/html", "application/activity+json", "*/*"]);
  const headers: Record<string, string> = { Accept: accept };
  authenticate(world, headers, route, persona, random, labels);
  let body: string | Buffer | undefined;
  if (route.method !== "GET") {
    const fields = forms.get(new URL(path, "https://x").pathname) ?? forms.get(route.path) ?? {};
    const unique = `${n}${random.below(1e6)}`;
    const filled = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value === "" ? formFieldSeed(world, name, unique) : value]));
    const built = route.api ? apiBody(world, route, random, n) : formBody(filled, random);
    body = built.body;
    if (built.contentType !== undefined) headers["Content-Type"] = built.contentType;
    labels.push(built.label);
  }
  return { label: labels.join(", ") || "real values", method: route.method, path: path + query, headers, body };
}

function authenticate(world: FuzzWorld, headers: Record<string, string>, route: RouteTarget, persona: Persona, random: Random, labels: string[]): void {
  const cookies = [`${CSRF_COOKIE}=${CSRF_TOKEN}`];
  if (route.api && persona.token !== undefined) headers.Authorization = `Bearer ${persona.token}`;
  if (!route.api && persona.session !== undefined) cookies.push(persona.session);
  if (random.chance(0.08)) {
    const authorization = random.pick(["Bearer", "Bearer a b", "Basic Zm9vOmJhcg==", `Bearer ${"A".repeat(8000)}`, "Bearer \u00ff\u00fe", "Signature keyId=\"x\""]);
    headers.Authorization = authorization;
    labels.push(`Authorization: ${shown(authorization)}`);
  }
  if (random.chance(0.05)) {
    const name = (world.personas.find((p) => p.session !== undefined)?.session ?? "cn_session=").split("=")[0];
    cookies.push(`${name}=${random.pick(["", "x", "%00", "A".repeat(4000), "\u00e9"])}`);
    labels.push("hostile session cookie");
  }
  headers.Cookie = cookies.join("; ");
}

function hostileQuery(route: RouteTarget, random: Random, labels: string[]): string {
  if (random.chance(0.25)) return "";
  const documented = (route.operation?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
  const names = [...new Set([...documented, ...COMMON_QUERY])];
  const pairs: string[] = [];
  for (let i = 0, count = 1 + random.below(3); i < count; i++) {
    const name = random.pick(names);
    const value = hostileText(random);
    pairs.push(`${name}=${percentEncode(value)}`);
    if (random.chance(0.15)) pairs.push(`${name}=${percentEncode(hostileText(random))}`);
    if (random.chance(0.1)) pairs.push(`${name}[x]=1`);
    labels.push(`?${name}=${shown(value)}`);
  }
  return `?${pairs.join("&")}`;
}

/** A JSON (or multipart) body: the documented body with one thing wrong, or a broken document. */
function apiBody(world: FuzzWorld, route: RouteTarget, random: Random, n: number): { label: string; body: string | Buffer; contentType: string | undefined } {
  const content = route.operation?.requestBody?.content ?? {};
  if (content["multipart/form-data"] !== undefined) return multipartBody(world, content["multipart/form-data"].schema, random, n);
  const seed = seedFromSchema(world, content["application/json"]?.schema ?? { type: "object" }, "", `${n}${random.below(1e6)}`);
  const seedText = JSON.stringify(seed);
  const roll = random.next();
  if (roll < 0.1) return { label: "the documented body", body: seedText, contentType: "application/json" };
  if (roll < 0.55) {
    const { label, text } = mutateField(seed, random);
    return { label, body: text, contentType: "application/json" };
  }
  if (roll < 0.8) {
    const { label, text } = malformedJson(random, seedText);
    return { label: `malformed JSON (${label})`, body: text, contentType: "application/json" };
  }
  const contentType = random.pick(WRONG_CONTENT_TYPES);
  return { label: `content type ${shown(String(contentType))}`, body: seedText, contentType };
}

/** One field of `seed` (at any depth) replaced, dropped, or joined by an unexpected one. */
function mutateField(seed: unknown, random: Random): { label: string; text: string } {
  const paths = fieldPaths(seed);
  const RAW = "\u0001raw\u0001";
  const hostile = hostileJsonValue(random);
  const copy = structuredClone(seed) as Record<string, unknown>;
  if (paths.length === 0 || random.chance(0.15)) {
    const name = random.pick(["__proto__", "constructor", "admin", "role", "a".repeat(300), "\u202e"]);
    const target = typeof copy === "object" && copy !== null && !Array.isArray(copy) ? copy : {};
    Object.defineProperty(target, name, { value: RAW, enumerable: true });
    return { label: `extra field ${shown(name)} = ${shown(hostile)}`, text: JSON.stringify(target).replace(JSON.stringify(RAW), hostile) };
  }
  const path = random.pick(paths);
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const key = path[path.length - 1]!;
  if (random.chance(0.1) && !Array.isArray(parent)) {
    delete parent[key];
    return { label: `without ${path.join(".")}`, text: JSON.stringify(copy) };
  }
  parent[key] = RAW;
  return { label: `${path.join(".")} = ${shown(hostile)}`, text: JSON.stringify(copy).replace(JSON.stringify(RAW), hostile) };
}

function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return prefix.length > 0 ? [prefix] : [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const paths: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  for (const [key, child] of entries) paths.push(...fieldPaths(child, [...prefix, key]));
  return paths;
}

const TINY_PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

function multipartBody(world: FuzzWorld, schema: JsonSchema | undefined, random: Random, n: number): { label: string; body: Buffer; contentType: string } {
  const boundary = `fuzz${n}`;
  const fields: [string, string][] = Object.entries(schema?.properties ?? {})
    .filter(([, property]) => property.format !== "binary")
    .map(([name, property]) => [name, String(seedFromSchema(world, property, name, String(n)))]);
  const labels: string[] = [];
  if (fields.length > 0 && random.chance(0.6)) {
    const i = random.below(fields.length);
    const value = random.pick(HOSTILE_STRINGS);
    fields[i] = [fields[i]![0], value];
    labels.push(`${fields[i]![0]} = ${shown(value)}`);
  }
  const [fileLabel, file] = random.pick<[string, Buffer]>([
    ["truncated PNG", TINY_PNG],
    ["empty file", Buffer.alloc(0)],
    ["text as image", Buffer.from("not an image at all")],
    ["SVG with a script", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ["GIF header only", Buffer.from("GIF89a")],
  ]);
  const filename = random.chance(0.3) ? random.pick(["../../etc/passwd", "\u202egpj.exe", "a\u0000.png", "x".repeat(5000)]) : "photo.png";
  labels.push(`file: ${fileLabel} named ${shown(filename)}`);
  const parts: Buffer[] = fields.map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${random.pick(["image/png", "image/svg+xml", "application/octet-stream", "image/gif"])}\r\n\r\n`), file, Buffer.from("\r\n"));
  parts.push(Buffer.from(random.chance(0.1) ? `--${boundary}` : `--${boundary}--\r\n`));
  return { label: `multipart (${labels.join(", ")})`, body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** What the page's form would submit, with one field hostile, or a body that is not a form at all. */
function formBody(fields: FormFields, random: Random): { label: string; body: string; contentType: string | undefined } {
  const values: [string, string][] = [[CSRF_FIELD, CSRF_TOKEN], ...Object.entries(fields)];
  const encode = (pairs: [string, string][]) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
  const roll = random.next();
  if (roll < 0.1) return { label: "the page's form", body: encode(values), contentType: "application/x-www-form-urlencoded" };
  if (roll < 0.7) {
    const value = random.pick(HOSTILE_STRINGS);
    const i = values.length > 1 ? 1 + random.below(values.length - 1) : -1;
    if (i < 0 || random.chance(0.1)) values.push([value.slice(0, 100), "x"]);
    else values[i] = [values[i]![0], value];
    const name = i < 0 ? "an extra field" : values[i]![0];
    if (random.chance(0.2)) values.push([name, random.pick(HOSTILE_STRINGS)]);
    return { label: `form ${name} = ${shown(value)}`, body: encode(values), contentType: "application/x-www-form-urlencoded" };
  }
  if (roll < 0.85) {
    const broken = random.pick(["%", "a=%zz&b=%", "&&&=&=", `${CSRF_FIELD}=${CSRF_TOKEN}&${"a=1&".repeat(20_000)}`, "=".repeat(1000)]);
    return { label: `malformed form ${shown(broken)}`, body: broken, contentType: "application/x-www-form-urlencoded" };
  }
  const contentType = random.pick(WRONG_CONTENT_TYPES);
  const body = contentType === "application/x-www-form-urlencoded" ? encode(values) : JSON.stringify(Object.fromEntries(values));
  return { label: `form sent as ${shown(String(contentType))}`, body, contentType };
}

/** A value short enough to print in a report. */
export function shown(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 20)}…(${value.length} chars)` : value;
  return JSON.stringify(shown);
}
