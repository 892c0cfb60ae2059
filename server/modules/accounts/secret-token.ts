import { createHash, randomBytes } from "node:crypto";

/** A random bearer secret (session id, API token, invite code): 256 bits, URL-safe. */
export function generateToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** Secrets are stored only as SHA-256 hashes; they are high-entropy, so no salt or slow hash is needed. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
