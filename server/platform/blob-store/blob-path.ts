import { join } from "node:path";
import { z } from "zod";

/** A SHA-256 digest as lowercase hex: the only thing a blob's path is ever built from. */
export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a SHA-256 digest: 64 lowercase hexadecimal characters" });

export function isSha256(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

/**
 * `<root>/sha256/<aa>/<bb>/<hash>`: two levels of 256 folders keep any folder small, as Git's object
 * store does. The hash is checked here, so no caller can reach outside the root with a crafted name.
 */
export function blobPath(root: string, sha256: string): string {
  if (!isSha256(sha256)) throw new TypeError("A blob is addressed by a validated SHA-256 digest only.");
  return join(root, "sha256", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Uploads in progress live here, inside the root, so the final rename never crosses a file system. */
export function temporaryDir(root: string): string {
  return join(root, "tmp");
}
