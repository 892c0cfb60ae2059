import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { access, link, mkdir, readdir, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { once } from "node:events";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { DomainError } from "../errors.ts";
import { blobPath, temporaryDir } from "./blob-path.ts";

export interface PutOptions {
  /** The upload is cut off, and its temporary file deleted, as soon as it passes this many bytes. */
  readonly maxBytes: number;
  /** The refusal to throw then; by default a too_large error naming the cap. */
  readonly tooLarge?: (maxBytes: number) => DomainError;
}

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  /** False when the same bytes were stored already (the upload was deduplicated). */
  readonly created: boolean;
}

/** An inclusive byte range, as HTTP's Range header counts (RFC 9110 §14.1.2). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface BlobStore {
  readonly root: string;
  put(input: Readable | AsyncIterable<Uint8Array>, options: PutOptions): Promise<StoredBlob>;
  /** The blob's size, or undefined when it is not stored. */
  size(sha256: string): Promise<number | undefined>;
  has(sha256: string): Promise<boolean>;
  /** A stream of the blob (or of one range of it); throws not_found when it is not stored. */
  open(sha256: string, range?: ByteRange): Promise<{ stream: ReadStream; size: number }>;
  remove(sha256: string): Promise<void>;
  /** The blob's file, for libvips, which reads a file lazily instead of holding it whole. */
  localPath(sha256: string): string;
  /** Deletes temporary files of uploads untouched for `olderThanSeconds` (left by a crash); returns how many. */
  sweepTemporary(olderThanSeconds: number): Promise<number>;
}

/**
 * A content-addressed store of files on disk: each blob lives at a path made from its SHA-256 only,
 * never from a name a client chose, so nothing is ever written outside the root and equal files are
 * stored once. Bytes are streamed to a temporary file while they are hashed; nothing is held whole
 * in memory.
 */
export function createBlobStore(rootDir: string): BlobStore {
  const root = resolve(rootDir);
  const size = async (sha256: string) => {
    try {
      return (await stat(blobPath(root, sha256))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  };
  return {
    root,
    put: (input, options) => putBlob(root, input, options),
    size,
    has: async (sha256) => (await size(sha256)) !== undefined,
    async open(sha256, range) {
      const total = await size(sha256);
      if (total === undefined) throw new DomainError("not_found", "not_found", "This file is not stored on this node.");
      const stream = createReadStream(blobPath(root, sha256), range && { start: range.start, end: range.end });
      return { stream, size: total };
    },
    async remove(sha256) {
      await unlink(blobPath(root, sha256)).catch(ignoreMissing);
    },
    localPath: (sha256) => blobPath(root, sha256),
    async sweepTemporary(olderThanSeconds) {
      const dir = temporaryDir(root);
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? [] : Promise.reject(error)));
      const cutoff = Date.now() - olderThanSeconds * 1000;
      let removed = 0;
      for (const name of names.filter((n) => /^[0-9a-f]{32}\.part$/.test(n))) {
        const path = join(dir, name);
        const info = await stat(path).catch(() => undefined);
        if (info === undefined || info.mtimeMs >= cutoff) continue;
        await unlink(path).catch(ignoreMissing);
        removed++;
      }
      return removed;
    },
  };
}

async function putBlob(root: string, input: Readable | AsyncIterable<Uint8Array>, options: PutOptions): Promise<StoredBlob> {
  const tmpDir = temporaryDir(root);
  await mkdir(tmpDir, { recursive: true });
  const tmp = join(tmpDir, `${randomBytes(16).toString("hex")}.part`);
  const out = createWriteStream(tmp, { flags: "wx" });
  const hash = createHash("sha256");
  let total = 0;
  try {
    // The caller keeps the source: on a refusal it may still drain it (a multipart body goes on).
    const source = input instanceof Readable ? input.iterator({ destroyOnReturn: false }) : input;
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (total > options.maxBytes) throw (options.tooLarge ?? defaultTooLarge)(options.maxBytes);
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    await finished(out).catch(() => {});
    await unlink(tmp).catch(ignoreMissing);
    throw error;
  }
  const sha256 = hash.digest("hex");
  return { sha256, size: total, created: await settle(root, tmp, sha256) };
}

/**
 * Moves the finished upload to its address. `link` fails when the address is taken, so a blob that
 * is already stored is kept as it is (same hash, same bytes) and two uploads of one file cannot
 * overwrite each other halfway.
 */
async function settle(root: string, tmp: string, sha256: string): Promise<boolean> {
  const target = blobPath(root, sha256);
  await mkdir(dirname(target), { recursive: true });
  try {
    await link(tmp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    await access(target);
    return false;
  } finally {
    await unlink(tmp).catch(ignoreMissing);
  }
}

function defaultTooLarge(maxBytes: number): DomainError {
  return new DomainError("too_large", "payload_too_large", `The file is larger than ${formatMegabytes(maxBytes)}.`);
}

/** A cap in words: "50 MB", or "0.5 MB" for the small caps tests set. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return `${Number.isInteger(mb) ? mb : Number(mb.toFixed(2))} MB`;
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}
