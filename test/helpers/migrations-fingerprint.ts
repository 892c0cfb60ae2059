import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

let cached: string | undefined;

/**
 * 12 hex digits that change whenever a file in migrations/ is added, renamed or edited, so a migrated
 * template named after them is never reused for another schema.
 */
export function migrationsFingerprint(): string {
  if (cached !== undefined) return cached;
  const hash = createHash("sha256");
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update("\0").update(readFileSync(MIGRATIONS_DIR + file)).update("\0");
  }
  cached = hash.digest("hex").slice(0, 12);
  return cached;
}
