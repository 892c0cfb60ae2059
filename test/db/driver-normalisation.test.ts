import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { jsonb } from "../../server/db/json.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

// The two drivers disagree on int8 and on JSON bound to jsonb (docs/stack.md#pglite-and-postgresql); open-database.ts and
// json.ts normalise both, and these tests hold on each engine.
let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

test(`int8 columns and counts are JS numbers on ${ENGINE_LABEL}`, async () => {
  const { db } = database;
  await db.insertInto("actors").values({ handle: "int8_check", kind: "person", name: "Int8", summary: "" }).execute();
  const row = await db.selectFrom("actors").select("id").where("handle", "=", "int8_check").executeTakeFirstOrThrow();
  assert.equal(typeof row.id, "number");
  const count = await db.selectFrom("actors").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  assert.equal(typeof count.n, "number");
  assert.ok(count.n >= 1);
  const { rows } = await sql<{ big: number }>`SELECT 9007199254740991::int8 AS big`.execute(db);
  assert.equal(rows[0]!.big, Number.MAX_SAFE_INTEGER);
});

test(`JSON values written with jsonb() round-trip and match @> on ${ENGINE_LABEL}`, async () => {
  const { db } = database;
  const values: unknown[] = ["text", "", 42, 1.5, true, null, [1, "two", { three: 3 }], { nested: { a: [1, 2] }, quote: "it's \"x\"" }];
  for (const [i, value] of values.entries()) {
    await db.insertInto("node_meta").values({ key: `json-${i}`, value: jsonb(value) }).execute();
  }
  const rows = await db.selectFrom("node_meta").select(["key", "value"]).where("key", "like", "json-%").orderBy("key").execute();
  assert.deepEqual(
    rows.map((r) => r.value),
    values,
  );
  const matched = await db
    .selectFrom("node_meta")
    .select("key")
    .where(sql<boolean>`value @> ${jsonb({ nested: { a: [2] } })}`)
    .execute();
  assert.deepEqual(matched.map((r) => r.key), ["json-7"]);
});

test(`timestamps are Dates and the extensions for the directory exist on ${ENGINE_LABEL}`, async () => {
  const { db } = database;
  const row = await db.selectFrom("node_meta").select("updated_at").limit(1).executeTakeFirstOrThrow();
  assert.ok(row.updated_at instanceof Date);
  const { rows } = await sql<{ km: number; similar: boolean }>`
    SELECT round((earth_distance(ll_to_earth(48.8566, 2.3522), ll_to_earth(51.5074, -0.1278)) / 1000)::numeric)::int AS km,
           'cooperative' % 'cooperativ' AS similar`.execute(db);
  // Paris to London is about 344 km as the crow flies.
  assert.ok(Math.abs(rows[0]!.km - 344) <= 2, `got ${rows[0]!.km} km`);
  assert.equal(rows[0]!.similar, true);
});
