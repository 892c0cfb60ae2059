import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { findActorByHandle, insertActor } from "../../server/modules/actors/actor.repository.ts";
import { commitWithActivities, outboxCommitted } from "../../server/modules/outbox/commit-with-activities.ts";
import {
  claimDueOutboxEntries,
  countPendingOutbox,
  markOutboxRelayed,
  recordOutboxRelayFailure,
} from "../../server/modules/outbox/outbox.repository.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.deleteFrom("outbox").execute();
  await database.db.deleteFrom("actors").where("kind", "=", "group").execute();
});

const draft = (n: number) => ({
  sender: "node",
  recipients: [{ id: "https://mastodon.example/users/alice", inbox: "https://mastodon.example/users/alice/inbox" }],
  activity: { "@context": "https://www.w3.org/ns/activitystreams", id: `https://node.example/activities/${n}`, type: "Create" },
  orderingKey: "https://node.example/notes/1",
});

test(`a change and its activities commit together on ${ENGINE_LABEL}`, async () => {
  let woken = 0;
  const onCommit = () => woken++;
  outboxCommitted.on("committed", onCommit);
  try {
    await commitWithActivities(database.db, async (trx, emit) => {
      await insertActor(trx, { handle: "bikekitchen", kind: "group", name: "Bike Kitchen", summary: "" });
      await emit(draft(1));
      await emit(draft(2));
    });
  } finally {
    outboxCommitted.off("committed", onCommit);
  }
  assert.equal((await findActorByHandle(database.db, "bikekitchen"))?.name, "Bike Kitchen");
  const entries = await claimDueOutboxEntries(database.db, 10, 60);
  assert.deepEqual(entries.map((e) => e.activity.id), ["https://node.example/activities/1", "https://node.example/activities/2"]);
  assert.deepEqual(entries[0]!.recipients, draft(1).recipients);
  assert.equal(entries[0]!.orderingKey, "https://node.example/notes/1");
  assert.equal(woken, 1, "the relay in this process is woken once per commit");
});

test(`a failed change leaves no activity behind on ${ENGINE_LABEL}`, async () => {
  await assert.rejects(
    commitWithActivities(database.db, async (trx, emit) => {
      await insertActor(trx, { handle: "doomed", kind: "group", name: "Doomed", summary: "" });
      await emit(draft(3));
      throw new Error("validation failed after the insert");
    }),
    /validation failed/,
  );
  assert.equal(await findActorByHandle(database.db, "doomed"), undefined);
  assert.equal(await countPendingOutbox(database.db), 0);
});

test(`claimed entries are leased, relayed ones leave the pending set, failed ones come back later on ${ENGINE_LABEL}`, async () => {
  await commitWithActivities(database.db, async (_trx, emit) => {
    for (const n of [10, 11, 12]) await emit(draft(n));
  });
  const first = await claimDueOutboxEntries(database.db, 2, 60);
  assert.deepEqual(first.map((e) => e.activity.id), ["https://node.example/activities/10", "https://node.example/activities/11"]);
  assert.equal(first[0]!.attempts, 1);
  // A second relay (another process) gets only what is not leased.
  const second = await claimDueOutboxEntries(database.db, 10, 60);
  assert.deepEqual(second.map((e) => e.activity.id), ["https://node.example/activities/12"]);
  await markOutboxRelayed(database.db, first[0]!.id);
  await recordOutboxRelayFailure(database.db, first[1]!.id, "boom", 0);
  assert.equal(await countPendingOutbox(database.db), 2);
  const retried = await claimDueOutboxEntries(database.db, 10, 60);
  assert.deepEqual(retried.map((e) => [e.activity.id, e.attempts]), [["https://node.example/activities/11", 2]]);
});

test(`a lapsed lease (a relay that died) makes the entry due again on ${ENGINE_LABEL}`, async () => {
  await commitWithActivities(database.db, async (_trx, emit) => emit(draft(20)));
  const [claimed] = await claimDueOutboxEntries(database.db, 10, 0.2);
  assert.ok(claimed);
  assert.deepEqual(await claimDueOutboxEntries(database.db, 10, 60), []);
  await new Promise((resolve) => setTimeout(resolve, 400));
  const again = await claimDueOutboxEntries(database.db, 10, 60);
  assert.deepEqual(again.map((e) => e.id), [claimed.id]);
});
