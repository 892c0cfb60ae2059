import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import type { KvKey, KvStoreListEntry } from "@fedify/fedify";
import { sql } from "kysely";
import { KyselyKvStore } from "../../server/queue/kysely-kv-store.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

let database: TestDatabase;
let kv: KyselyKvStore;
before(async () => {
  database = await createTestDatabase();
  kv = new KyselyKvStore(database.db);
});
after(async () => {
  await database.close();
});

/** Fedify passes a Temporal.Duration; durationToMs reads only its fields, so a plain object stands in. */
const ttlSeconds = (seconds: number) => ({ ttl: { seconds } as unknown as Temporal.Duration });

async function collect(prefix?: KvKey): Promise<KvStoreListEntry[]> {
  const entries: KvStoreListEntry[] = [];
  for await (const entry of kv.list(prefix)) entries.push(entry);
  return entries;
}

async function rawRow(key: KvKey) {
  return await database.db
    .selectFrom("fedify_kv")
    .select(["value", "expires_at"])
    .where("key", "=", JSON.stringify(key))
    .executeTakeFirst();
}

test(`KyselyKvStore round-trips every kind of JSON value on ${ENGINE_LABEL}`, async () => {
  const values: Record<string, unknown> = {
    string: "héllo \"quoted\" \\ back",
    emptyString: "",
    integer: 42,
    negative: -7,
    fraction: 0.1,
    true: true,
    false: false,
    null: null,
    emptyArray: [],
    array: [1, "two", null, false, { three: 3 }],
    emptyObject: {},
    nested: { a: { b: { c: [1, 2, { d: "deep" }] } }, z: null, long_key_name: "x" },
  };
  for (const [name, value] of Object.entries(values)) await kv.set(["roundtrip", name], value);
  for (const [name, value] of Object.entries(values)) {
    assert.deepEqual(await kv.get(["roundtrip", name]), value, `value ${name}`);
  }
  // A stored null is a value, unlike a missing key.
  assert.equal(await kv.get(["roundtrip", "null"]), null);
  assert.equal(await kv.get(["roundtrip", "missing"]), undefined);
  // Overwriting replaces the value and keeps one row.
  await kv.set(["roundtrip", "string"], { replaced: true });
  assert.deepEqual(await kv.get(["roundtrip", "string"]), { replaced: true });
  assert.equal((await collect(["roundtrip"])).length, Object.keys(values).length);
});

test(`KyselyKvStore expires entries after their TTL and sweep() removes them on ${ENGINE_LABEL}`, async () => {
  await kv.set(["ttl", "short"], "soon gone", ttlSeconds(1));
  await kv.set(["ttl", "long"], "stays", ttlSeconds(3600));
  await kv.set(["ttl", "forever"], "stays too");
  assert.equal(await kv.get(["ttl", "short"]), "soon gone");
  assert.notEqual((await rawRow(["ttl", "short"]))?.expires_at, null);
  assert.equal((await rawRow(["ttl", "forever"]))?.expires_at, null);

  await sleep(1300);
  assert.equal(await kv.get(["ttl", "short"]), undefined);
  assert.deepEqual(
    (await collect(["ttl"])).map((e) => e.key),
    [["ttl", "forever"], ["ttl", "long"]],
  );
  // Still present until swept.
  assert.equal((await rawRow(["ttl", "short"]))?.value, "soon gone");
  assert.equal(await kv.sweep(), 1);
  assert.equal(await rawRow(["ttl", "short"]), undefined);
  assert.equal(await kv.get(["ttl", "long"]), "stays");
  assert.equal(await kv.get(["ttl", "forever"]), "stays too");
  assert.equal(await kv.sweep(), 0);

  // Setting without a TTL clears an earlier TTL.
  await kv.set(["ttl", "reset"], 1, ttlSeconds(1));
  await kv.set(["ttl", "reset"], 2);
  assert.equal((await rawRow(["ttl", "reset"]))?.expires_at, null);
});

test(`KyselyKvStore.delete removes only the named key on ${ENGINE_LABEL}`, async () => {
  await kv.set(["del", "a"], 1);
  await kv.set(["del", "a", "child"], 2);
  await kv.delete(["del", "a"]);
  assert.equal(await kv.get(["del", "a"]), undefined);
  assert.equal(await kv.get(["del", "a", "child"]), 2);
  await kv.delete(["del", "never-set"]);
  assert.deepEqual(await collect(["del"]), [{ key: ["del", "a", "child"], value: 2 }]);
});

test(`KyselyKvStore.cas compares and swaps atomically on ${ENGINE_LABEL}`, async () => {
  // Expected undefined on a missing key creates it.
  assert.equal(await kv.cas(["cas", "k"], undefined, { n: 1 }), true);
  assert.deepEqual(await kv.get(["cas", "k"]), { n: 1 });
  // Expected undefined on an existing key fails.
  assert.equal(await kv.cas(["cas", "k"], undefined, { n: 99 }), false);
  // A wrong expected value fails and leaves the value.
  assert.equal(await kv.cas(["cas", "k"], { n: 2 }, { n: 3 }), false);
  assert.deepEqual(await kv.get(["cas", "k"]), { n: 1 });
  // The right expected value swaps (deep equality, not identity).
  assert.equal(await kv.cas(["cas", "k"], { n: 1 }, { n: 2 }), true);
  assert.deepEqual(await kv.get(["cas", "k"]), { n: 2 });
  // newValue undefined deletes.
  assert.equal(await kv.cas(["cas", "k"], { n: 2 }, undefined), true);
  assert.equal(await rawRow(["cas", "k"]), undefined);
  // An expired entry counts as missing.
  await kv.set(["cas", "expired"], "old", ttlSeconds(1));
  await sleep(1200);
  assert.equal(await kv.cas(["cas", "expired"], "old", "new"), false);
  assert.equal(await kv.cas(["cas", "expired"], undefined, "new"), true);
  assert.equal((await rawRow(["cas", "expired"]))?.expires_at, null);
  assert.equal(await kv.get(["cas", "expired"]), "new");
});

test(`KyselyKvStore.cas lets exactly one of 8 concurrent callers win on ${ENGINE_LABEL}`, async () => {
  // On a missing key: the advisory lock must serialise what FOR UPDATE cannot lock. Several rounds,
  // because the first round on a cold PostgreSQL pool runs nearly one after another.
  for (let round = 0; round < 5; round++) {
    const key: KvKey = ["race", "new", String(round)];
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => kv.cas(key, undefined, i)));
    assert.equal(created.filter(Boolean).length, 1, `round ${round}: ${JSON.stringify(created)}`);
    assert.equal(await kv.get(key), created.indexOf(true));
  }

  // On an existing key.
  await kv.set(["race", "existing"], "start");
  const swapped = await Promise.all(Array.from({ length: 8 }, (_, i) => kv.cas(["race", "existing"], "start", `w${i}`)));
  assert.equal(swapped.filter(Boolean).length, 1);
  assert.equal(await kv.get(["race", "existing"]), `w${swapped.indexOf(true)}`);
});

test(`KyselyKvStore.list(prefix) returns the exact key and its children only on ${ENGINE_LABEL}`, async () => {
  const keys: KvKey[] = [
    ["p", "a"],
    ["p", "a", "1"],
    ["p", "a", "2", "x"],
    ["p", "ab"],
    ["p", "ab", "1"],
    ["p", "a%"],
    ["p", "a%", "1"],
    ["p", "a_"],
    ["p", "a\\"],
    ["p", "a\\", "1"],
    ["p", "a\""],
    ["p", "b"],
    ["q", "a"],
  ];
  for (const [i, key] of keys.entries()) await kv.set(key, i);
  const keysUnder = async (prefix: KvKey) => (await collect(prefix)).map((e) => JSON.stringify(e.key)).sort();
  const expect = (...ks: KvKey[]) => ks.map((k) => JSON.stringify(k)).sort();

  assert.deepEqual(await keysUnder(["p", "a"]), expect(["p", "a"], ["p", "a", "1"], ["p", "a", "2", "x"]));
  // LIKE wildcards in the prefix are literal: "a%" must not match "ab", "a_" must not match "ab".
  assert.deepEqual(await keysUnder(["p", "a%"]), expect(["p", "a%"], ["p", "a%", "1"]));
  assert.deepEqual(await keysUnder(["p", "a_"]), expect(["p", "a_"]));
  assert.deepEqual(await keysUnder(["p", "a\\"]), expect(["p", "a\\"], ["p", "a\\", "1"]));
  assert.deepEqual(await keysUnder(["p", "a\""]), expect(["p", "a\""]));
  assert.deepEqual(await keysUnder(["p", "a", "2"]), expect(["p", "a", "2", "x"]));
  assert.deepEqual(await keysUnder(["p", "zzz"]), []);
  assert.equal((await keysUnder(["p"])).length, 12);

  // Values come back with their keys.
  const entries = await collect(["p", "a%"]);
  assert.deepEqual(
    entries.map((e) => [e.key, e.value]).sort((x, y) => Number(x[1]) - Number(y[1])),
    [[["p", "a%"], 5], [["p", "a%", "1"], 6]],
  );
});

test(`KyselyKvStore.list() without a prefix returns every live entry on ${ENGINE_LABEL}`, async () => {
  await sql`DELETE FROM fedify_kv`.execute(database.db);
  await kv.set(["all", "one"], 1);
  await kv.set(["all", "two"], { two: 2 });
  await kv.set(["other"], "x");
  await kv.set(["all", "expiring"], "gone", ttlSeconds(1));
  await database.db
    .updateTable("fedify_kv")
    .set({ expires_at: sql<Date>`now() - interval '1 second'` })
    .where("key", "=", JSON.stringify(["all", "expiring"]))
    .execute();
  const entries = (await collect()).sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
  assert.deepEqual(entries, [
    { key: ["all", "one"], value: 1 },
    { key: ["all", "two"], value: { two: 2 } },
    { key: ["other"], value: "x" },
  ]);
});

/** Another process's view of the same table: a store without memory. */
const otherProcess = () => new KyselyKvStore(database.db);
const cachedStore = () => new KyselyKvStore(database.db, { cachedPrefixes: [["_fedify", "circuit"]], cacheMs: 1500 });

test(`KyselyKvStore serves cached prefixes from memory for a short while, and only those, on ${ENGINE_LABEL}`, async () => {
  const kvWithMemory = cachedStore();
  await otherProcess().set(["_fedify", "circuit", "slow.example"], { state: "closed" });
  await otherProcess().set(["_fedify", "acceptSignatureNonce", "n1"], true);
  assert.deepEqual(await kvWithMemory.get(["_fedify", "circuit", "slow.example"]), { state: "closed" });
  assert.equal(await kvWithMemory.get(["_fedify", "acceptSignatureNonce", "n1"]), true);

  await otherProcess().set(["_fedify", "circuit", "slow.example"], { state: "open" });
  await otherProcess().delete(["_fedify", "acceptSignatureNonce", "n1"]);
  assert.deepEqual(await kvWithMemory.get(["_fedify", "circuit", "slow.example"]), { state: "closed" }, "cached: another process's change is not seen yet");
  assert.equal(await kvWithMemory.get(["_fedify", "acceptSignatureNonce", "n1"]), undefined, "a nonce is never served from memory");
  await sleep(1600);
  assert.deepEqual(await kvWithMemory.get(["_fedify", "circuit", "slow.example"]), { state: "open" }, "after cacheMs the database answers again");
  // "No entry" is remembered as well, and a value handed out cannot be changed through the cache.
  const missing = await kvWithMemory.get(["_fedify", "circuit", "never.example"]);
  assert.equal(missing, undefined);
  const state = (await kvWithMemory.get<{ state: string }>(["_fedify", "circuit", "slow.example"]))!;
  state.state = "mutated";
  assert.deepEqual(await kvWithMemory.get(["_fedify", "circuit", "slow.example"]), { state: "open" });
});

test(`KyselyKvStore skips rewriting an unchanged permanent value, and a failed cas forgets the cached one, on ${ENGINE_LABEL}`, async () => {
  const kvWithMemory = cachedStore();
  const key: KvKey = ["_fedify", "circuit", "flaky.example"];
  await kvWithMemory.set(key, "rfc9421");
  await database.db.updateTable("fedify_kv").set({ value: sql`'"draft-cavage-http-signatures-12"'::jsonb` }).where("key", "=", JSON.stringify(key)).execute();
  await kvWithMemory.set(key, "rfc9421");
  assert.equal((await rawRow(key))?.value, "draft-cavage-http-signatures-12", "the identical write was skipped");
  await kvWithMemory.set(key, "rfc9421", ttlSeconds(60));
  assert.equal((await rawRow(key))?.value, "rfc9421", "a write with a TTL always lands (it extends the expiry)");

  await kvWithMemory.delete(key);
  await kvWithMemory.set(key, { state: "closed", failures: [] });
  await otherProcess().set(key, { state: "open", failures: ["t1"] });
  assert.deepEqual(await kvWithMemory.get(key), { state: "closed", failures: [] }, "stale in memory");
  assert.equal(await kvWithMemory.cas(key, { state: "closed", failures: [] }, { state: "closed", failures: ["t2"] }), false);
  assert.deepEqual(await kvWithMemory.get(key), { state: "open", failures: ["t1"] }, "after the failed swap the database answers");
  assert.equal(await kvWithMemory.cas(key, { state: "open", failures: ["t1"] }, undefined), true);
  assert.equal(await kvWithMemory.get(key), undefined);
});
