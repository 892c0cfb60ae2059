import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { REPOSITORY_ROOT, sourceFilesUnder } from "./import-edges.ts";

// Inbox handlers reach a domain through its service (ctx.data.services), made once at start, as routes
// do: handing them the database invites them to call a module's internals and skip the service's rules.
const DATABASE_FROM_CONTEXT = /ctx\.data\.db\b|\{[^}]*\bdb\b[^}]*\}\s*=\s*ctx\.data\b/;

describe("the inbox handlers", () => {
  const handlers = sourceFilesUnder(["federation"]).filter((file) => file.startsWith("federation/inbox/"));

  test("are read", () => {
    assert.ok(handlers.includes("federation/inbox/follow.ts"));
  });

  test("never take the database from Fedify's context data", () => {
    const offenders = handlers.filter((file) => DATABASE_FROM_CONTEXT.test(readFileSync(join(REPOSITORY_ROOT, file), "utf8")));
    assert.deepEqual(offenders, [], "call ctx.data.services.<domain> instead of passing ctx.data.db to a module function");
  });
});
