import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../../server/db/open-database.ts";
import { openMigratedPglite } from "./pglite-snapshot.ts";
import { cloneMigratedDatabase, createScratchDatabase, databaseUrl } from "./postgres-template.ts";

/** Set by CI to run every database test on real PostgreSQL as well as on PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const ENGINE_LABEL = TEST_DATABASE_URL ? "postgres" : "pglite";

export interface TestDatabase extends DatabaseHandle {
  /** A URL other processes can open (PostgreSQL only); undefined on PGlite. */
  readonly url: string | undefined;
}

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database next to TEST_DATABASE_URL's,
 * copied from a migrated template (dropped on close), or an in-memory PGlite loaded from a migrated
 * snapshot. Never a mock; the migrations run once per run, not once per database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DATABASE_URL === undefined) {
    const handle = await openMigratedPglite();
    return { ...handle, url: undefined };
  }
  const url = await cloneMigratedDatabase(TEST_DATABASE_URL);
  const handle = await openDatabase({ databaseUrl: url, poolSize: 12 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await dropScratchPostgresDatabase(TEST_DATABASE_URL, url);
    },
  };
}

/** Creates an empty database (no migrations) on the server of `baseUrl` and returns its URL. */
export async function createScratchPostgresDatabase(baseUrl: string): Promise<string> {
  return databaseUrl(baseUrl, await createScratchDatabase(baseUrl));
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
