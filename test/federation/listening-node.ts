import { type ServerType, serve } from "@hono/node-server";
import sharp from "sharp";
import request from "supertest";
import { runOutboxRelay } from "../../federation/outbox-relay.ts";
import { type Config, loadConfig } from "../../server/platform/config.ts";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken } from "../../server/modules/accounts/credential.repository.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { ensureNodeIdentity } from "../../server/modules/node/node-identity.ts";
import { assembleNode, type NodeServices } from "../../server/app/node.ts";
import { createSecretBox } from "../../server/platform/secret-box.ts";
import { freePort } from "../helpers/node-process.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { tempStorage } from "../helpers/temp-storage.ts";

/**
 * A node listening on a real loopback port, with its queues and outbox relay running, so a peer on
 * another port can fetch its documents and receive its deliveries: PUBLIC_URL http://127.0.0.1:<port>,
 * NODE_ENV=test and PRIVATE_ADDRESS_ALLOW=127.0.0.0/8 (the node may reach loopback peers, and nothing else private).
 */
export interface ListeningNode extends NodeServices {
  readonly config: Config;
  readonly database: TestDatabase;
  readonly origin: string;
  /** supertest against the listening server. */
  readonly http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** `address`: the loopback address to listen on; nodes a charter tells apart need their own (it ignores ports). */
export async function startListeningNode(env: Record<string, string> = {}, address = "127.0.0.1"): Promise<ListeningNode> {
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const storage = tempStorage(env);
  const config = loadConfig({ PUBLIC_URL: origin, PORT: String(port), NODE_ENV: "test", PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8", LOG_LEVEL: "warning", ...storage.env });
  const database = await createTestDatabase();
  const box = createSecretBox("test-node-secret-0123456789abcdefghij");
  await ensureNodeIdentity(database.db, box, config);
  const services = assembleNode(config, database, box, () => false);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: services.app.fetch, port, hostname: address }, () => resolve(s));
  });
  const workers = new AbortController();
  const running = [
    services.federation.startQueue(services.deps, { signal: workers.signal }),
    runOutboxRelay(services.federation, services.deps, { signal: workers.signal, pollIntervalMs: 100 }),
  ];
  return {
    ...services,
    config,
    database,
    origin,
    http: request(origin),
    async close() {
      workers.abort();
      await Promise.allSettled(running);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await database.close();
      storage.remove();
    },
  };
}

export interface Maintainer {
  readonly handle: string;
  readonly actorId: number;
  readonly token: string;
}

/** A member made directly in the database, with an API token (registration is tested elsewhere). */
export async function createMaintainer(node: ListeningNode, handle: string): Promise<Maintainer> {
  const actor = await insertActor(node.database.db, { handle, kind: "person", name: `Member ${handle}`, summary: "" });
  if (actor === undefined) throw new Error(`handle ${handle} is taken`);
  const accountId = await insertAccount(node.database.db, { actorId: actor.id, passwordHash: "unused", role: "member", status: "active" });
  const { token } = await createApiToken(node.database.db, accountId, "federation test");
  return { handle, actorId: actor.id, token };
}

export const auth = (member: Maintainer): [string, string] => ["Authorization", `Bearer ${member.token}`];

/** A real JPEG through POST /api/v1/media, so the Note's attachment has width, height and blurhash. */
export async function uploadImage(node: ListeningNode, member: Maintainer, description: string): Promise<{ id: string; url: string }> {
  const jpeg = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 30, g: 140, b: 200 } } }).jpeg().toBuffer();
  const res = await node.http
    .post("/api/v1/media")
    .set(...auth(member))
    .attach("file", jpeg, { filename: "roof.jpg", contentType: "image/jpeg" })
    .field("purpose", "attachment")
    .field("description", description);
  if (res.status !== 201) throw new Error(`POST /api/v1/media answered ${res.status}: ${res.text}`);
  return res.body as { id: string; url: string };
}

/**
 * Waits until every outbox entry is relayed and Fedify's queues are empty, so a test can assert that
 * nothing more will be delivered (e.g. exactly one Create per server).
 */
export async function settled(node: Pick<ListeningNode, "database">, timeoutMs = 20_000): Promise<void> {
  await eventually("the outbox and queues to drain", async () => {
    const pending = await node.database.db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).where("relayed_at", "is", null).executeTakeFirstOrThrow();
    const queued = await node.database.db.selectFrom("fedify_queue").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    return Number(pending.n) === 0 && Number(queued.n) === 0 ? true : undefined;
  }, timeoutMs);
}

/** Polls `probe` every 50 ms until it returns a value, failing after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last error: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
