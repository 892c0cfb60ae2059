import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { REPOSITORY_ROOT, sourceFilesUnder } from "./import-edges.ts";
import { ownershipProblems, tableWritesOf, tablesCreatedIn, writerOf } from "./table-writes.ts";

// Modules own their tables (docs/architecture.md#tables-and-their-owners): one module writes each table, and
// everything else asks that module. Migrations create and alter tables and are not read here; server/queue writes
// only Fedify's own tables.

const read = (file: string) => readFileSync(join(REPOSITORY_ROOT, file), "utf8");
const writes = sourceFilesUnder().flatMap((file) => tableWritesOf(file, read(file)));
const tables = [...new Set(sourceFilesUnder(["migrations"]).flatMap((file) => tablesCreatedIn(read(file))))];

describe("every table has one owner, the only module that writes it", () => {
  test("the reader sees the writes and the tables", () => {
    assert.ok(tables.includes("notes") && tables.includes("fedify_queue"), "the migrations' tables are read");
    assert.ok(writes.some((w) => w.file.startsWith("server/modules/notes/") && w.table === "notes"), "kysely writes are found");
    assert.ok(writes.some((w) => w.file === "server/modules/accounts/rate-limit.repository.ts" && w.table === "rate_limits"), "raw sql writes are found");
  });

  test("each table is written by exactly one module, and nothing outside server/modules writes a module's table", () => {
    const problems = ownershipProblems(writes, tables);
    assert.deepEqual(problems, [], `\n${problems.join("\n")}\n`);
  });
});

describe("the ownership checker rejects deliberate violations", () => {
  test("kysely builders with a literal table, an alias, or no literal at all", () => {
    const source = [
      'await db.insertInto("notes").values(row).execute();',
      "await trx",
      '  .updateTable("remote_posts as p")',
      '  .set({ content_html: "" });',
      "await db.deleteFrom('note_media').where(…);",
      "await db.replaceInto(`media`);",
      "await db.mergeInto(tableName).using(…);",
      'db.selectFrom("actors").selectAll();',
    ].join("\n");
    assert.deepEqual(
      tableWritesOf("server/modules/x/y.ts", source).map((w) => w.table),
      ["notes", "remote_posts", "note_media", "media", null],
    );
  });

  test("raw sql writes, but not row locks or an upsert's update of its own insert", () => {
    const source = [
      "await sql`INSERT INTO rate_limits (key) VALUES (${key}) ON CONFLICT (key) DO UPDATE SET hits = 1`.execute(db);",
      "await sql<{ id: string }>`",
      "  update outbox set attempts = attempts + 1",
      "  where id in (select id from outbox for update skip locked)`.execute(db);",
      'await sql`DELETE FROM "sessions" WHERE expires_at < now()`.execute(db);',
      "// A comment about how we DELETE FROM nothing, outside any sql template.",
    ].join("\n");
    assert.deepEqual(
      tableWritesOf("server/modules/x/y.ts", source).map((w) => w.table),
      ["rate_limits", "outbox", "sessions"],
    );
  });

  test("two modules writing one table, a write outside the modules, and a table nobody writes", () => {
    const write = (file: string, table: string | null) => ({ file, table, statement: "…" });
    const problems = ownershipProblems(
      [
        write("server/modules/notes/note.repository.ts", "notes"),
        write("server/modules/replies/member-note.repository.ts", "notes"),
        write("federation/inbox/create.ts", "remote_posts"),
        write("server/queue/kysely-kv-store.ts", "fedify_kv"),
        write("server/queue/kysely-kv-store.ts", "actors"),
        write("web/routes/x.ts", null),
      ],
      ["notes", "remote_posts", "fedify_kv", "actors", "peers"],
    );
    assert.deepEqual(problems, [
      "web/routes/x.ts: … writes a table that is not named literally; name it so its owner is known",
      "(actors, server/queue): written outside server/modules; move the write into the module that owns the table",
      "(notes, modules/notes, modules/replies): written by 2 writers; only its owner may write it",
      "(peers, no writer): no module writes it; drop it in a migration or give it an owner",
      "(remote_posts, federation/inbox/create.ts): written outside server/modules; move the write into the module that owns the table",
    ]);
    assert.equal(writerOf("server/modules/remote-posts/remote-post.repository.ts"), "modules/remote-posts");
  });
});
