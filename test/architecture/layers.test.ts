import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { importEdgesOf, importEdgesOfFile, REPOSITORY_ROOT, sourceFilesUnder } from "./import-edges.ts";
import { compareWithKnown, edgeLine, KNOWN_VIOLATIONS_FILE, parseKnownViolations, readKnownViolations } from "./known-violations.ts";
import { type ImportEdge, layerOf, SHARED_LEAVES, violationOf } from "./layer-rules.ts";

const files = sourceFilesUnder();
const edges = files.flatMap((file) => importEdgesOfFile(file));
const isRepositoryPath = (to: string) => /^(server|federation|web|migrations)\//.test(to);

/** Every violating edge as its list line, with the reason (one reason per line is enough to explain it). */
function violationsIn(found: readonly ImportEdge[]): Map<string, string> {
  const violations = new Map<string, string>();
  for (const edge of found) {
    const reason = violationOf(edge);
    if (reason !== undefined && !violations.has(edgeLine(edge))) violations.set(edgeLine(edge), reason);
  }
  return violations;
}

describe("the dependency direction of server/, federation/ and web/", () => {
  test("the reader sees the whole code base", () => {
    assert.ok(files.includes("server/modules/projects/project.service.ts"), "the modules are read");
    assert.ok(files.includes("federation/inbox/follow.ts"), "federation/ is read");
    assert.ok(files.includes("web/pages/project-page.ts"), "web/ is read");
    assert.ok(edges.some((edge) => edge.from === "server/app/app.ts" && edge.to === "server/api/index.ts"));
  });

  test("every file sits in a layer, and every relative import resolves to a file", () => {
    assert.deepEqual(files.filter((file) => layerOf(file) === undefined), [], "folders missing from LAYERS");
    const unresolved = edges.filter((edge) => isRepositoryPath(edge.to) && !existsSync(join(REPOSITORY_ROOT, edge.to)));
    assert.deepEqual(unresolved.map(edgeLine), [], "the import reader resolved these to files that do not exist");
  });

  test("no import goes against the layers except the known violations, and the list only shrinks", () => {
    const violations = violationsIn(edges);
    const result = compareWithKnown([...violations.keys()], readKnownViolations());
    const problems = [
      ...result.unlisted.map((line) => `new violation: ${line}\n    ${violations.get(line)}`),
      ...result.stale.map((line) => `fixed, so delete its line from ${KNOWN_VIOLATIONS_FILE}: ${line}`),
      ...result.duplicated.map((line) => `listed twice in ${KNOWN_VIOLATIONS_FILE}: ${line}`),
    ];
    assert.deepEqual(problems, [], `\n${problems.join("\n")}\n`);
  });

  test("shared leaves import nothing above the platform, so they cannot carry a higher layer down", () => {
    for (const leaf of SHARED_LEAVES.keys()) {
      assert.ok(files.includes(leaf), `${leaf} is declared a shared leaf but does not exist`);
      const above = importEdgesOfFile(leaf).filter((edge) => isRepositoryPath(edge.to) && layerOf(edge.to)?.name !== "platform");
      assert.deepEqual(above.map(edgeLine), [], `${leaf} must stay a leaf`);
    }
  });
});

describe("the layer checker rejects deliberate violations", () => {
  const rejects = (from: string, to: string, reason: RegExp, typeOnly = false) =>
    assert.match(violationOf({ from, to, typeOnly }) ?? "(allowed)", reason, `${from} -> ${to}`);
  const allows = (from: string, to: string, typeOnly = false) =>
    assert.equal(violationOf({ from, to, typeOnly }), undefined, `${from} -> ${to}`);

  test("a module importing federation/, web/, the HTTP edge or the API", () => {
    rejects("server/modules/projects/x.ts", "federation/y.ts", /modules .* imports upward into federation/);
    rejects("server/modules/projects/x.ts", "web/pages/project-page.ts", /imports upward into web/);
    rejects("server/modules/projects/x.ts", "server/api/projects.ts", /imports upward into api/);
    rejects("server/modules/projects/x.ts", "server/http/viewer.ts", /imports upward into http/);
    rejects("server/db/x.ts", "server/modules/projects/project.service.ts", /platform .* imports upward into modules/);
    rejects("federation/inbox/x.ts", "server/http/viewer.ts", /federation .* imports upward into http/);
    rejects("server/api/x.ts", "server/app/app.ts", /api .* imports upward into app/);
  });

  test("one module's repository or queries from another module, or from any other layer", () => {
    rejects("server/modules/projects/x.ts", "server/modules/accounts/account.repository.ts", /accounts module's repository/);
    rejects("server/modules/projects/x.ts", "server/modules/notes/note.queries.ts", /notes module's queries/);
    rejects("federation/inbox/follow.ts", "server/modules/followers/follower.repository.ts", /go through its service/);
    rejects("server/app/app.ts", "server/modules/outbox/outbox.repository.ts", /outbox module's repository/);
    allows("server/modules/projects/project.service.ts", "server/modules/projects/project.repository.ts");
  });

  test("a module importing Hono or Fedify", () => {
    rejects("server/modules/projects/x.ts", "hono", /knows nothing of HTTP or ActivityPub/);
    rejects("server/modules/projects/x.ts", "hono/html", /knows nothing of HTTP or ActivityPub/);
    rejects("server/modules/projects/x.ts", "@fedify/vocab", /knows nothing of HTTP or ActivityPub/);
    allows("server/modules/projects/x.ts", "kysely");
    allows("federation/projects.ts", "@fedify/vocab");
  });

  test("federation/ importing Hono, or anything above the modules running SQL", () => {
    rejects("federation/inbox/x.ts", "hono", /does not handle HTTP routes/);
    rejects("federation/inbox/x.ts", "kysely", /only server\/db and the modules run SQL/);
    rejects("web/routes/x.ts", "kysely", /only server\/db and the modules run SQL/);
    rejects("server/api/x.ts", "postgres", /only server\/db and the modules run SQL/);
    allows("server/db/x.ts", "@electric-sql/pglite");
    allows("web/pages/x.ts", "hono/html");
  });

  test("the API and the pages stand side by side", () => {
    rejects("server/api/x.ts", "web/pages/project-page.ts", /side by side/);
    rejects("web/routes/x.ts", "server/api/project-json.ts", /side by side/);
  });

  test("downward imports and type-only imports of the app's environment are allowed", () => {
    allows("web/routes/projects.ts", "server/modules/projects/project.service.ts");
    allows("server/app/app.ts", "web/routes.ts");
    allows("server/modules/projects/x.ts", "server/http/app-env.ts", true);
    rejects("server/modules/projects/x.ts", "server/http/app-env.ts", /imports upward into http/);
  });

  test("a violation written in source is found by reading it", () => {
    const source = [
      'import type { Db } from "../../db/database.ts";',
      "import {",
      "  toProjectGroup,",
      "  type ProjectRow,",
      '} from "../../../federation/translate/project.ts";',
      'export { findAccount } from "../accounts/account.repository.ts";',
      'const later = await import("../../../web/routes.ts");',
    ].join("\n");
    const found = importEdgesOf("server/modules/projects/x.ts", source);
    assert.deepEqual(found, [
      { from: "server/modules/projects/x.ts", to: "server/db/database.ts", typeOnly: true },
      { from: "server/modules/projects/x.ts", to: "federation/translate/project.ts", typeOnly: false },
      { from: "server/modules/projects/x.ts", to: "server/modules/accounts/account.repository.ts", typeOnly: false },
      { from: "server/modules/projects/x.ts", to: "web/routes.ts", typeOnly: false },
    ]);
    assert.deepEqual([...violationsIn(found).keys()], [
      "server/modules/projects/x.ts -> federation/translate/project.ts",
      "server/modules/projects/x.ts -> server/modules/accounts/account.repository.ts",
      "server/modules/projects/x.ts -> web/routes.ts",
    ]);
  });

  test("the ratchet fails on a new violation and on a listed one that was fixed", () => {
    const known = parseKnownViolations("# comment\n\na.ts -> b.ts\nc.ts -> d.ts\n");
    const result = compareWithKnown(["a.ts -> b.ts", "e.ts -> f.ts"], known);
    assert.deepEqual(result.unlisted, ["e.ts -> f.ts"]);
    assert.deepEqual(result.stale, ["c.ts -> d.ts"]);
  });
});
