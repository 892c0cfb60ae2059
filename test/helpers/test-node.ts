import { getRequestListener } from "@hono/node-server";
import request from "supertest";
import { type Config, loadConfig } from "../../server/platform/config.ts";
import { ensureNodeIdentity } from "../../server/modules/node/node-identity.ts";
import { assembleNode, type NodeServices } from "../../server/app/node.ts";
import { createSecretBox } from "../../server/platform/secret-box.ts";
import { recordApiConformance } from "./openapi-conformance.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import { tempStorage } from "./temp-storage.ts";

export interface TestNode extends NodeServices {
  readonly config: Config;
  readonly database: TestDatabase;
  /**
   * supertest against the app's request listener (real HTTP parsing, no socket to manage). Every
   * answer under /api/v1 is checked against /api/openapi.json; `close()` fails listing the ones
   * that disagree with it.
   */
  readonly http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A node assembled in this process on a fresh test database and storage directory, as startNode would, without listening. */
export async function createTestNode(env: Record<string, string> = {}): Promise<TestNode> {
  const storage = tempStorage(env);
  const config = loadConfig({ PUBLIC_URL: "https://city-a.test", NODE_ENV: "test", LOG_LEVEL: "warning", ...storage.env });
  const database = await createTestDatabase();
  const box = createSecretBox("test-node-secret-0123456789abcdefghij");
  await ensureNodeIdentity(database.db, box, config);
  const services = assembleNode(config, database, box, () => false);
  const conformance = recordApiConformance(services.app.fetch);
  return {
    ...services,
    config,
    database,
    http: request(getRequestListener(conformance.fetch)),
    close: async () => {
      await database.close();
      storage.remove();
      if (conformance.violations.length > 0) {
        throw new Error(`Answers of the API disagree with /api/openapi.json:\n${[...new Set(conformance.violations)].join("\n")}`);
      }
    },
  };
}
