import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The node secret (it seals private keys and signs sessions). SECRET_KEY wins; otherwise it is read
 * from DATA_DIR/secret, created with mode 0600 on first start. Several processes on several machines
 * must share one secret: give them SECRET_KEY (the node refuses to start on a different one, see
 * server/modules/node/node-identity.ts).
 */
export function loadOrCreateSecret(dataDir: string, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const path = join(dataDir, "secret");
  if (existsSync(path)) {
    const stored = readFileSync(path, "utf8").trim();
    if (stored.length >= 32) return stored;
    throw new Error(`The secret in ${path} is shorter than 32 characters; restore it or set SECRET_KEY`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // "wx" fails if another process created the file meanwhile; then read theirs.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(path, "utf8").trim();
    throw error;
  }
}
