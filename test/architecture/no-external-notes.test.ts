import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * Comments cite what any reader can open: a public source (an RFC or spec section, a FEP, a Mastodon
 * source file) or a page under docs/. Notes kept outside the repository (the research and design notes,
 * their section numbers and case catalog) must not come back, and every docs/ link and security case id
 * the code cites must exist there.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCANNED = ["server", "federation", "web", "migrations", "bench", "test"];
const THIS_FILE = relative(ROOT, fileURLToPath(import.meta.url));

/** Each pattern names a note that lives outside the repository, or a way of citing one. */
const EXTERNAL_NOTES: readonly (readonly [RegExp, string])[] = [
  [/mastodon-interop/i, "the Mastodon interop notes"],
  [/security[- ]catalog|\bcatalog (?:[A-Z]{2,5}-\d|§|gap|G\d)/i, "the security catalog"],
  [/stack-notes/i, "the stack notes"],
  [/vocabulary-and-anchors/i, "the vocabulary notes"],
  [/model-codebases/i, "the model-codebases notes"],
  [/\bstyle rules?\b|\bstyle\.md\b/i, "the style notes"],
  [/\bproduct\.md\b/i, "the product notes"],
  [/(?<!docs\/)\barchitecture\.md\b/i, "the design notes (docs/architecture.md is fine)"],
  [/shared\/(?:research|design)\b/i, "the shared notes folder"],
  [/\bpitfall \d+/i, "a numbered pitfall of the notes"],
];

/** A `§` is fine only after the public document it belongs to, on the same line. */
const PUBLIC_DOCUMENT = /RFC ?\d+|ActivityPub|Activity ?Streams|FEP-[0-9a-f]{4}|JSON-LD|Cryptosuites|Data Integrity|HTML|ECMAScript|ECMA-\d+|Fetch Standard|WHATWG|NodeInfo|WebFinger|OWASP/i;

const CASE_ID = /\b(?:SIG|ORI|SSRF|XSS|MED|DOS|IDEM|ORD|DLV|WEB|AUTHZ)-\d{2}\b|\bG[1-9]\b/g;
const DOCS_LINK = /\bdocs\/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?/g;

interface Line {
  readonly file: string;
  readonly number: number;
  readonly text: string;
}

function* textFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") yield* textFiles(path);
    } else if (entry.isFile() && path !== THIS_FILE) {
      const bytes = readFileSync(join(ROOT, path));
      if (!bytes.includes(0)) yield path; // binaries (images, archives) cite nothing
    }
  }
}

function scannedLines(): Line[] {
  return SCANNED.flatMap((dir) => [...textFiles(dir)]).flatMap((file) =>
    readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .map((text, i) => ({ file, number: i + 1, text })),
  );
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.split("\n").filter((line) => /^#{1,6} /.test(line));
  return new Set(headings.map((line) => line.replace(/^#+ /, "").trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replaceAll(" ", "-")));
}

const where = (line: Line) => `${line.file}:${line.number}: ${line.text.trim()}`;

describe("knowledge the code cites is in the repository", () => {
  const lines = scannedLines();

  test("no file under server/, federation/, web/, migrations/, bench/ or test/ cites notes kept outside the repository", () => {
    const found = lines.flatMap((line) => {
      const notes = EXTERNAL_NOTES.filter(([pattern]) => pattern.test(line.text)).map(([, name]) => name);
      const sections = [...line.text.matchAll(/§/g)].filter((m) => !PUBLIC_DOCUMENT.test(line.text.slice(0, m.index)));
      if (sections.length > 0) notes.push("a section number (§) of no public document named before it");
      return notes.map((name) => `${where(line)}\n    cites ${name}`);
    });
    assert.deepEqual(found, [], "Cite a public source (RFC/spec section, FEP, Mastodon source file) or a page under docs/ instead");
  });

  test("every docs/ page and anchor the code links to exists", () => {
    const anchors = new Map<string, Set<string> | null>();
    const broken = lines.flatMap((line) =>
      [...line.text.matchAll(DOCS_LINK)].flatMap(([link, page, anchor]) => {
        if (!anchors.has(page!)) {
          let markdown: string | null = null;
          try {
            markdown = readFileSync(join(ROOT, "docs", page!), "utf8");
          } catch {}
          anchors.set(page!, markdown === null ? null : anchorsOf(markdown));
        }
        const known = anchors.get(page!);
        if (known === null) return [`${where(line)}\n    links to ${link}: no such page`];
        if (anchor !== undefined && !known!.has(anchor)) return [`${where(line)}\n    links to ${link}: no such heading`];
        return [];
      }),
    );
    assert.deepEqual(broken, []);
  });

  test("every security case id the code cites is described in docs/security.md", () => {
    const security = readFileSync(join(ROOT, "docs/security.md"), "utf8");
    const described = new Set(security.match(CASE_ID) ?? []);
    const unknown = lines.flatMap((line) =>
      [...new Set(line.text.match(CASE_ID) ?? [])].filter((id) => !described.has(id)).map((id) => `${where(line)}\n    cites ${id}`),
    );
    assert.deepEqual(unknown, [], "Describe each case in docs/security.md (what a peer tries, what the node does) before citing its id");
  });
});
