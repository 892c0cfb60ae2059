import { ConfigError, loadConfig } from "../platform/config.ts";
import { openConfiguredDatabase } from "./open-configured-database.ts";
import { migrateToLatest } from "./migrate.ts";

/**
 * `npm run migrate`: applies pending migrations and exits. The one-shot `migrate` service of
 * docker-compose.yml runs it before web and worker start (they also migrate, under Kysely's lock).
 */
try {
  const config = loadConfig(process.env);
  const database = await openConfiguredDatabase(config);
  try {
    const result = await migrateToLatest(database.db);
    const applied = result.results?.filter((r) => r.status === "Success").map((r) => r.migrationName) ?? [];
    process.stdout.write(applied.length === 0 ? "Database is up to date\n" : `Applied: ${applied.join(", ")}\n`);
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`}\n`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
