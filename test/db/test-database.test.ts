import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, test } from "node:test";
import { sql } from "kysely";
import postgres from "postgres";
import { openDatabase } from "../../server/db/open-database.ts";
import { createTestDatabase, dropScratchPostgresDatabase, ENGINE_LABEL, TEST_DATABASE_URL, type TestDatabase } from "../helpers/test-database.ts";
import { cloneMigratedDatabase, createScratchDatabase, databaseUrl, ensureMigratedTemplate, templateName } from "../helpers/postgres-template.ts";

// Test databases are copies of one migrated template (PostgreSQL) or snapshot (PGlite). A copy must be
// as good as a freshly migrated database: every migration applied, and nothing shared with its siblings.
const opened: TestDatabase[] = [];
async function open(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  opened.push(database);
  return database;
}
after(async () => {
  await Promise.all(opened.map((d) => d.close()));
});

const MIGRATIONS = readdirSync(new URL("../../migrations/", import.meta.url)).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, "")).sort();

async function actorHandles(database: TestDatabase): Promise<string[]> {
  const rows = await database.db.selectFrom("actors").select("handle").orderBy("handle").execute();
  return rows.map((r) => r.handle);
}

test(`a test database has every migration in migrations/ applied (${ENGINE_LABEL})`, async () => {
  const database = await open();
  const rows = await database.db.selectFrom("kysely_migration" as any).select("name").orderBy("name").execute();
  assert.deepEqual(rows.map((r: any) => r.name), MIGRATIONS);
  // The extensions the migrations create work in the copy (PGlite must load them with the snapshot).
  await database.db.insertInto("actors").values({ handle: "trigram_probe", kind: "person", name: "Probe", summary: "" }).execute();
  const { rows: similar } = await sql<{ handle: string }>`SELECT handle FROM actors WHERE handle % 'trigram_prob'`.execute(database.db);
  assert.deepEqual(similar.map((r) => r.handle), ["trigram_probe"]);
});

test(`writes in one test database are not visible in another (${ENGINE_LABEL})`, async () => {
  const first = await open();
  const second = await open();
  await first.db.insertInto("actors").values({ handle: "only_in_first", kind: "person", name: "First", summary: "" }).execute();
  await second.db.insertInto("actors").values({ handle: "only_in_second", kind: "person", name: "Second", summary: "" }).execute();
  assert.deepEqual(await actorHandles(first), ["only_in_first"]);
  assert.deepEqual(await actorHandles(second), ["only_in_second"]);
  // Made after those writes: still the empty, migrated schema.
  const third = await open();
  assert.deepEqual(await actorHandles(third), []);
  if (TEST_DATABASE_URL !== undefined) {
    assert.notEqual(first.url, second.url);
  }
});

test("processes preparing the template at once get one, migrated once; a dropped template is made again", { skip: TEST_DATABASE_URL === undefined && "PostgreSQL only (TEST_DATABASE_URL)" }, async () => {
  // A base database of its own, so its template is built here and not by another test file.
  const base = databaseUrl(TEST_DATABASE_URL!, await createScratchDatabase(TEST_DATABASE_URL!));
  const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const copies: string[] = [];
  try {
    // Each call has its own admin connection, as two test processes starting together have.
    const [a, b] = await Promise.all([ensureMigratedTemplate(base), ensureMigratedTemplate(base)]);
    assert.equal(a, templateName(base));
    assert.equal(b, a);
    copies.push(await cloneMigratedDatabase(base));
    assert.deepEqual(await appliedMigrations(copies[0]!), MIGRATIONS);

    // What a run with other migrations does to a stale template of the same base database.
    await admin.unsafe(`DROP DATABASE "${templateName(base)}"`);
    copies.push(await cloneMigratedDatabase(base));
    assert.deepEqual(await appliedMigrations(copies[1]!), MIGRATIONS);
  } finally {
    for (const copy of copies) await dropScratchPostgresDatabase(TEST_DATABASE_URL!, copy);
    await dropScratchPostgresDatabase(TEST_DATABASE_URL!, base);
    await admin.unsafe(`DROP DATABASE IF EXISTS "${templateName(base)}"`).finally(() => admin.end());
  }
});

async function appliedMigrations(url: string): Promise<string[]> {
  const handle = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    const rows = await handle.db.selectFrom("kysely_migration" as any).select("name").orderBy("name").execute();
    return rows.map((r: any) => r.name as string);
  } finally {
    await handle.close();
  }
}
