import { after, before, test } from "node:test";
import { testMessageQueue } from "@fedify/testing";
import { KyselyMessageQueue } from "../../server/queue/kysely-message-queue.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

// Fedify's own conformance suite: delays, batches, two competing listeners, 100 bulk messages and
// ordering keys. Two queue instances share one table, as two worker processes would.
test(`KyselyMessageQueue passes @fedify/testing testMessageQueue on ${ENGINE_LABEL}`, { timeout: 120_000 }, async () => {
  await testMessageQueue(
    () => new KyselyMessageQueue(database.db, { queue: "conformance", pollIntervalMs: 100 }),
    async ({ controller }) => {
      controller.abort();
    },
    { testOrderingKey: true },
  );
});
