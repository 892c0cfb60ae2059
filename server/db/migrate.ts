import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Kysely } from "kysely";
import { type Migration, type MigrationResultSet, Migrator } from "kysely/migration";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

/** Loads `migrations/*.ts` in name order; the names carry their date, so order is history. */
async function loadMigrations(): Promise<Record<string, Migration>> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+\.ts$/.test(f)).sort();
  const entries = await Promise.all(
    files.map(async (file) => [file.replace(/\.ts$/, ""), (await import(pathToFileURL(MIGRATIONS_DIR + file).href)) as Migration] as const),
  );
  return Object.fromEntries(entries);
}

/**
 * Brings the schema to the latest migration. Kysely takes a lock, so several processes starting at
 * once on one PostgreSQL apply each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: loadMigrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Migration ${failed} failed: ${String((result.error as Error)?.message ?? result.error)}`, { cause: result.error });
  }
  return result;
}
