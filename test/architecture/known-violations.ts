// The ratchet around the layer rules: imports that broke the rules when the test arrived are listed in
// known-violations.txt, so the test can pass today, and the list may only shrink.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPOSITORY_ROOT } from "./import-edges.ts";

export const KNOWN_VIOLATIONS_FILE = "test/architecture/known-violations.txt";

/** One line of the list: "from -> to". */
export function edgeLine(edge: { readonly from: string; readonly to: string }): string {
  return `${edge.from} -> ${edge.to}`;
}

/** The listed lines, without comments (#) and blank lines. */
export function parseKnownViolations(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

export function readKnownViolations(): string[] {
  return parseKnownViolations(readFileSync(join(REPOSITORY_ROOT, KNOWN_VIOLATIONS_FILE), "utf8"));
}

export interface RatchetResult {
  /** Violations found in the code but not listed: new code broke the rules. */
  readonly unlisted: readonly string[];
  /** Listed lines that no longer occur: someone fixed them, and the line must go so the fix cannot be undone. */
  readonly stale: readonly string[];
  /** Lines listed twice. */
  readonly duplicated: readonly string[];
}

export function compareWithKnown(found: readonly string[], known: readonly string[]): RatchetResult {
  const foundSet = new Set(found);
  const knownSet = new Set(known);
  return {
    unlisted: [...foundSet].filter((line) => !knownSet.has(line)).sort(),
    stale: [...knownSet].filter((line) => !foundSet.has(line)).sort(),
    duplicated: known.filter((line, index) => known.indexOf(line) !== index),
  };
}
