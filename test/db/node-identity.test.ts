import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { findNodeActor } from "../../server/modules/actors/actor.repository.ts";
import { loadActorKeyPairs } from "../../server/modules/actors/actor-keys.ts";
import { ensureNodeIdentity, SecretMismatchError } from "../../server/modules/node/node-identity.ts";
import { createSecretBox } from "../../server/platform/secret-box.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

const box = createSecretBox("node-identity-test-secret-0123456789");

test(`the node actor is created once with RSA-2048 and Ed25519 keys on ${ENGINE_LABEL}`, async () => {
  const actor = await ensureNodeIdentity(database.db, box, { nodeName: "Fab Lab Lyon", nodeDescription: "Makers of Lyon" });
  assert.equal(actor.handle, "node");
  assert.equal(actor.kind, "node");
  const again = await ensureNodeIdentity(database.db, box, { nodeName: "Fab Lab Lyon", nodeDescription: "Makers of Lyon" });
  assert.equal(again.id, actor.id);
  const keys = await loadActorKeyPairs(database.db, box, actor.id);
  assert.deepEqual(keys.map((k) => k.privateKey.algorithm.name), ["RSASSA-PKCS1-v1_5", "Ed25519"]);
  assert.equal((keys[0]!.publicKey.algorithm as RsaHashedKeyAlgorithm).modulusLength, 2048);
  const rows = await database.db.selectFrom("actor_keys").select("private_jwk_sealed").execute();
  for (const row of rows) assert.doesNotMatch(row.private_jwk_sealed, /"d"/, "private keys are not stored in the clear");
});

test(`concurrent starts agree on one node actor and one key pair per algorithm on ${ENGINE_LABEL}`, async () => {
  await Promise.all([1, 2, 3].map(() => ensureNodeIdentity(database.db, box, { nodeName: "Fab Lab Lyon", nodeDescription: "Makers of Lyon" })));
  const actors = await database.db.selectFrom("actors").select("id").where("kind", "=", "node").execute();
  assert.equal(actors.length, 1);
  const keys = await database.db.selectFrom("actor_keys").select("algorithm").where("actor_id", "=", actors[0]!.id).execute();
  assert.equal(keys.length, 2);
});

test(`NODE_NAME and NODE_DESCRIPTION changes reach the node actor on ${ENGINE_LABEL}`, async () => {
  await ensureNodeIdentity(database.db, box, { nodeName: "Fab Lab Lyon 2", nodeDescription: "Now with a laser cutter" });
  const actor = await findNodeActor(database.db);
  assert.equal(actor?.name, "Fab Lab Lyon 2");
  assert.equal(actor?.summary, "Now with a laser cutter");
});

test(`a process with another secret is refused before it can corrupt anything on ${ENGINE_LABEL}`, async () => {
  const other = createSecretBox("a-different-secret-for-another-process");
  await assert.rejects(ensureNodeIdentity(database.db, other, { nodeName: "X", nodeDescription: "" }), SecretMismatchError);
  assert.equal((await findNodeActor(database.db))?.name, "Fab Lab Lyon 2");
});
