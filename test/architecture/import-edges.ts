// Reads the imports of the project's own source files, without a TypeScript parser (the native tsc has no API):
// the code is formatted so that every static import or re-export starts a line, and dynamic imports with a
// literal path are written `import("…")`. Dynamic imports of computed paths (the migrator loading migrations/)
// cannot be followed and are not reported.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { ImportEdge } from "./layer-rules.ts";

export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Top-level folders whose .ts files the layer test reads. */
export const SOURCE_FOLDERS = ["server", "federation", "web"] as const;

// `import … from "x"`, `export … from "x"` and the bare `import "x"`, each starting a line (multi-line braces too).
const STATIC_IMPORT = /^(import|export)\s+([^;"']*?)\s*from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

export function sourceFilesUnder(folders: readonly string[] = SOURCE_FOLDERS): string[] {
  return folders.flatMap((folder) =>
    readdirSync(join(REPOSITORY_ROOT, folder), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => posix.join(folder, file.split("\\").join("/")))
      .sort(),
  );
}

/** The imports in one file's text; `from` is the file's repository path, relative specifiers are resolved. */
export function importEdgesOf(from: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of source.matchAll(STATIC_IMPORT)) {
    const clause = match[2] ?? "";
    const specifier = match[3] ?? match[4]!;
    edges.push({ from, to: resolveSpecifier(from, specifier), typeOnly: isTypeOnlyClause(clause) });
  }
  for (const match of source.matchAll(DYNAMIC_IMPORT)) {
    edges.push({ from, to: resolveSpecifier(from, match[1]!), typeOnly: false });
  }
  return edges;
}

export function importEdgesOfFile(path: string): ImportEdge[] {
  return importEdgesOf(path, readFileSync(join(REPOSITORY_ROOT, path), "utf8"));
}

function resolveSpecifier(from: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

/** `type X`, `type { X }`, `{ type X, type Y }`: erased under verbatimModuleSyntax, so no run-time dependency. */
function isTypeOnlyClause(clause: string): boolean {
  if (/^type\b/.test(clause)) return true;
  const braces = /^\{([^}]*)\}$/.exec(clause.trim());
  if (braces === null) return false;
  const names = braces[1]!.split(",").map((name) => name.trim()).filter((name) => name !== "");
  return names.length > 0 && names.every((name) => /^type\s/.test(name));
}
