import type { Config } from "../platform/config.ts";
import { type DatabaseHandle, embeddedDatabaseDir, openDatabase } from "./open-database.ts";

/**
 * Opens the database for the configuration: PostgreSQL with DATABASE_URL, else PGlite in DATA_DIR. It sits
 * beside the database code, not in the node's assembly, so one-shot commands (`npm run migrate`) can open the
 * same database without importing the whole node.
 */
export function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  return config.databaseUrl !== undefined
    ? openDatabase({ databaseUrl: config.databaseUrl })
    : openDatabase({ embeddedDir: embeddedDatabaseDir(config.dataDir) });
}
