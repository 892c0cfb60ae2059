/**
 * Replication between two real nodes, for bench/directory.ts (run by it in a child process per
 * engine, since the test database helper picks its engine from TEST_DATABASE_URL when loaded).
 *
 * Node A lists N entries (its own: group actors and their directory rows, inserted in bulk; the
 * listings themselves are what travels). Node B's admin then connects to A (POST /api/v1/admin/peers):
 * B follows A's node actor, A accepts and follows back (open charters), and B backfills A's directory
 * collection page by page (100 a page) with signed GETs, storing each page in one transaction as the
 * peering intake does. Timed from the POST until B holds all N. Both nodes listen on loopback
 * ports with their queue workers and outbox relay, in this process. Prints one JSON line.
 */
import { sql } from "kysely";
import type { Database } from "../server/db/database.ts";
import { textArray } from "../server/modules/directory/directory-entry.ts";
import { api, type PeerNode, startPeerNode } from "../test/peers/helpers/peer-nodes.ts";
import { ENGINE_LABEL } from "../test/helpers/test-database.ts";
import { generateEntry, seededRandom } from "./directory-data.ts";
import type { Kysely } from "kysely";

const N = Number(process.env.BENCH_REPLICATED ?? 10_000);
const BATCH = 1000;
const TIMEOUT_MS = 240_000;

async function listEntries(node: PeerNode): Promise<void> {
  const db = node.database.db as Kysely<Database>;
  const random = seededRandom(99);
  for (let start = 0; start < N; start += BATCH) {
    const handles = Array.from({ length: Math.min(BATCH, N - start) }, (_, i) => `listing-${start + i}`);
    const actors = await db
      .insertInto("actors")
      .values(handles.map((handle) => ({ handle, kind: "group" as const, name: handle, summary: "" })))
      .returning(["id", "handle"])
      .execute();
    await db
      .insertInto("directory_entries")
      .values(
        actors.map((actor, i) => {
          const e = generateEntry(random, 0, start + i);
          return {
            iri: `${node.origin}/directory/entries/${actor.handle}`, kind: e.kind, name: e.name, summary: e.summary, tags: textArray(e.tags), location_name: e.locationName,
            latitude: e.latitude, longitude: e.longitude, locality: e.locality, country: e.country, url: `${node.origin}/@${actor.handle}`, origin: `${node.origin}/@node`,
            origin_host: node.host, local_actor_id: actor.id, hops: 0, max_hops: 1, updated_at: e.updatedAt,
          };
        }),
      )
      .execute();
  }
  await sql`VACUUM ANALYZE directory_entries`.execute(db);
}

async function storedFrom(node: PeerNode, host: string): Promise<number> {
  const row = await node.database.db.selectFrom("directory_entries").select((eb) => eb.fn.countAll<number>().as("n")).where("origin_host", "=", host).executeTakeFirstOrThrow();
  return Number(row.n);
}

const a = await startPeerNode("A");
const b = await startPeerNode("B");
try {
  await listEntries(a);
  const started = performance.now();
  const connect = await api(b, "POST", "/api/v1/admin/peers", { url: a.origin });
  if (connect.status !== 201) throw new Error(`connect: ${connect.status} ${JSON.stringify(connect.body)}`);
  let first: number | undefined;
  let stored = 0;
  while (stored < N) {
    if (performance.now() - started > TIMEOUT_MS) throw new Error(`only ${stored} of ${N} entries replicated after ${TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    stored = await storedFrom(b, a.host);
    if (stored > 0 && first === undefined) first = performance.now() - started;
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ engine: ENGINE_LABEL, entries: N, ms, firstMs: first ?? ms }));
} finally {
  await b.close();
  await a.close();
}
