import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh STORAGE_DIR for one test node, unless the test chose its own: design files never land in
 * the checkout's ./data, and no test sees another's blobs. `remove` deletes only a directory made here.
 */
export function tempStorage(env: Record<string, string>): { env: Record<string, string>; remove: () => void } {
  if (env.STORAGE_DIR !== undefined) return { env, remove: () => {} };
  const dir = mkdtempSync(join(tmpdir(), "cn-storage-"));
  return { env: { ...env, STORAGE_DIR: dir }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
