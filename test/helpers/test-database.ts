import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../../server/db/open-database.ts";
import { migrateToLatest } from "../../server/db/migrate.ts";

/** Set by CI to run every database test on real PostgreSQL as well as on PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const ENGINE_LABEL = TEST_DATABASE_URL ? "postgres" : "pglite";

export interface TestDatabase extends DatabaseHandle {
  /** A URL other processes can open (PostgreSQL only); undefined on PGlite. */
  readonly url: string | undefined;
}

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database created next to
 * TEST_DATABASE_URL's (dropped on close), or an in-memory PGlite. Never a mock.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DATABASE_URL === undefined) {
    const handle = await openDatabase({ embeddedMemory: true });
    await migrateToLatest(handle.db);
    return { ...handle, url: undefined };
  }
  const url = await createScratchPostgresDatabase(TEST_DATABASE_URL);
  const handle = await openDatabase({ databaseUrl: url, poolSize: 12 });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    // A failed migration must not leave a scratch database behind on the shared server.
    await handle.close().catch(() => {});
    await dropScratchPostgresDatabase(TEST_DATABASE_URL, url).catch(() => {});
    throw error;
  }
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await dropScratchPostgresDatabase(TEST_DATABASE_URL, url);
    },
  };
}

/** Creates an empty database on the server of `baseUrl` and returns its URL. */
export async function createScratchPostgresDatabase(baseUrl: string): Promise<string> {
  const name = `cn_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropScratchPostgresDatabase(baseUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
