import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const GOLDEN_DIR = new URL("../fixtures/jsonld/", import.meta.url);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
/** Keys whose values differ on every run (fresh keys, image hashes). */
const OPAQUE_KEYS = new Set(["publicKeyPem", "publicKeyMultibase", "blurhash"]);

/**
 * Replaces what varies between runs so the rest can be compared exactly: each distinct UUID becomes
 * `<uuid-N>` in order of appearance (so "same id twice" is still checked), timestamps `<date>`,
 * epoch milliseconds in activity ids `<epoch>`, key material and blurhashes `<opaque>`.
 */
export function normaliseJsonLd(value: unknown): unknown {
  const uuids = new Map<string, string>();
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === "string") {
      if (key !== undefined && OPAQUE_KEYS.has(key)) return "<opaque>";
      if (ISO_DATE.test(v)) return "<date>";
      return v
        .replace(UUID, (u) => {
          if (!uuids.has(u)) uuids.set(u, `<uuid-${uuids.size + 1}>`);
          return uuids.get(u)!;
        })
        .replace(/#(updates|pin|unpin)\/\d{10,}/g, "#$1/<epoch>");
    }
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, walk((v as Record<string, unknown>)[k], k)]),
      );
    }
    return v;
  };
  return walk(value);
}

/**
 * Compares a document with test/fixtures/jsonld/<name>.json after normalising it. Run with
 * UPDATE_GOLDEN=1 to (re)write the file; a change to a golden file is a reviewed change.
 */
export function assertGolden(name: string, actual: unknown): void {
  const file = new URL(`${name}.json`, GOLDEN_DIR);
  const normalised = normaliseJsonLd(actual);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify(normalised, null, 2)}\n`);
    return;
  }
  assert.ok(existsSync(file), `golden file test/fixtures/jsonld/${name}.json is missing (run with UPDATE_GOLDEN=1 to create it)`);
  assert.deepStrictEqual(normalised, JSON.parse(readFileSync(file, "utf8")), `${name} differs from its golden file`);
}
