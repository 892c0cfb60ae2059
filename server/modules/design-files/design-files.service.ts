import type { Readable } from "node:stream";
import { type BlobStore, type ByteRange, formatMegabytes } from "../../platform/blob-store/index.ts";
import { DomainError } from "../../platform/errors.ts";
import { fileNameProblem } from "./file-name.schema.ts";
import { type FileRole, guessRole } from "./file-role.ts";
import { inspectStoredFile } from "./inspect-file.ts";
import type { StoredReleaseFile } from "../designs/index.ts";

/** At most this many files in one release: a zip, a manifest and a page must list them all. */
export const MAX_RELEASE_FILES = 200;

export interface DesignFilesDeps {
  readonly blobs: BlobStore;
  readonly fileMaxBytes: number;
  readonly releaseMaxBytes: number;
  /** Whether a release file or preview uses the blob (the designs service's isBlobReferenced). */
  readonly isBlobReferenced: (sha256: string) => Promise<boolean>;
}

/** A file stored and inspected, ready to attach to a release: the designs module's StoredReleaseFile. */
export type ReceivedFile = StoredReleaseFile;

export interface ReceiveOptions {
  /** Bytes this file may still take: the file cap, or less when the release is nearly full. */
  readonly maxBytes?: number;
  readonly tooLarge?: (maxBytes: number) => DomainError;
  /** The OKH role the uploader gave; guessed from name and type otherwise. */
  readonly role?: FileRole | null;
}

/**
 * Files of design releases: stores uploads (or fetched files) in the blob store, streamed and capped, names
 * them safely, tells their type from their bytes, makes previews of raster images and refuses unsafe SVG;
 * and serves stored blobs back. It owns no table: a release's rows (the designs module) say which blobs are used.
 */
export function createDesignFilesService(deps: DesignFilesDeps) {
  const { blobs } = deps;
  const limits = { fileMaxBytes: deps.fileMaxBytes, releaseMaxBytes: deps.releaseMaxBytes, maxFiles: MAX_RELEASE_FILES };

  /**
   * Blobs uploads in progress in this process rely on, counted: a failed upload must not remove a blob that
   * another upload of the same file is about to publish (that one found it stored, so it did not add it).
   */
  const pins = new Map<string, number>();
  const pin = (sha256s: readonly string[]) => {
    for (const sha of sha256s) pins.set(sha, (pins.get(sha) ?? 0) + 1);
  };
  const unpin = (sha256s: readonly string[]) => {
    for (const sha of sha256s) {
      const left = (pins.get(sha) ?? 0) - 1;
      if (left > 0) pins.set(sha, left);
      else pins.delete(sha);
    }
  };

  /** Removes the blobs no release uses and no upload in progress holds, of those a failed upload added. */
  async function discardUnreferenced(sha256s: Iterable<string>): Promise<void> {
    for (const sha256 of new Set(sha256s)) {
      if (pins.has(sha256) || (await deps.isBlobReferenced(sha256))) continue;
      // Checked again after the query: an upload may have found the blob stored meanwhile.
      if (!pins.has(sha256)) await blobs.remove(sha256);
    }
  }

  /**
   * Stores and inspects one file. Each blob is pinned the moment it is stored (before any other await, so a
   * failing upload elsewhere cannot remove it) and listed in `added` when this call created it; on a refusal
   * this call's pins are dropped and what it added is removed before it throws.
   */
  async function receiveFile(source: Readable | AsyncIterable<Uint8Array>, name: string, options: ReceiveOptions, held: string[], added: string[]): Promise<ReceivedFile> {
    assertFileName(name);
    const maxBytes = Math.min(options.maxBytes ?? limits.fileMaxBytes, limits.fileMaxBytes);
    const tooLarge = options.tooLarge ?? ((cap: number) => fileTooLarge(name, cap));
    const mine: string[] = [];
    const mineAdded: string[] = [];
    const keep = (sha256: string, created: boolean) => {
      pin([sha256]);
      mine.push(sha256);
      if (created) mineAdded.push(sha256);
    };
    try {
      const stored = await blobs.put(source, { maxBytes, tooLarge });
      keep(stored.sha256, stored.created);
      const inspection = await inspectStoredFile(blobs, stored.sha256, name);
      if (inspection.preview !== null) keep(inspection.preview.sha256, inspection.addedBlobs.includes(inspection.preview.sha256));
      held.push(...mine);
      added.push(...mineAdded);
      const role = options.role ?? guessRole(name, inspection.mediaType);
      return { name, sha256: stored.sha256, size: stored.size, mediaType: inspection.mediaType, role, preview: inspection.preview };
    } catch (error) {
      unpin(mine);
      await discardUnreferenced(mineAdded);
      throw error;
    }
  }

  return {
    limits,
    /**
     * Stores one file and inspects it, on its own. `added` lists the blobs this call created (the file and its
     * preview, unless they were stored already); the caller removes them if it does not use the file.
     */
    async receive(source: Readable | AsyncIterable<Uint8Array>, name: string, options: ReceiveOptions = {}): Promise<{ file: ReceivedFile; added: string[] }> {
      const held: string[] = [];
      const added: string[] = [];
      const file = await receiveFile(source, name, options, held, added);
      unpin(held);
      return { file, added };
    },
    discardUnreferenced,
    /**
     * The files of one release, received one after the other: each file's blobs stay pinned until `finish`,
     * and `abandon` removes what the batch added that nothing uses. Call one of the two in a `finally`.
     */
    startBatch(): FileBatch {
      const held: string[] = [];
      const added: string[] = [];
      const files: ReceivedFile[] = [];
      let pinned = true;
      const finish = () => {
        if (pinned) unpin(held);
        pinned = false;
      };
      return {
        files,
        added,
        async receive(source, name, options = {}) {
          const file = await receiveFile(source, name, options, held, added);
          files.push(file);
          return file;
        },
        finish,
        async abandon() {
          finish();
          await discardUnreferenced(added);
        },
      };
    },
    /** A stored blob to serve, whole or one range of it. */
    open: (sha256: string, range?: ByteRange) => blobs.open(sha256, range),
    size: (sha256: string) => blobs.size(sha256),
    /** Temporary files of uploads a crash interrupted: an upload still running writes to its file all the time. */
    sweepAbandonedUploads: (olderThanSeconds: number) => blobs.sweepTemporary(olderThanSeconds),
  };
}

export type DesignFilesService = ReturnType<typeof createDesignFilesService>;

/** The files of one upload (or one fetched release), see `startBatch`. */
export interface FileBatch {
  /** The files received so far, in order. */
  readonly files: readonly ReceivedFile[];
  /** Blobs the batch stored that were not stored before. */
  readonly added: readonly string[];
  receive(source: Readable | AsyncIterable<Uint8Array>, name: string, options?: ReceiveOptions): Promise<ReceivedFile>;
  /** The release was published (or the batch is dropped): its blobs need no pin any more. */
  finish(): void;
  /** Unpins, then removes the blobs the batch added that no release uses and no other upload holds. */
  abandon(): Promise<void>;
}

/** Refuses a file name that could not be saved as one file, naming what is wrong (422). */
export function assertFileName(name: string): void {
  const problem = fileNameProblem(name);
  if (problem === null) return;
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 37)}…` : name);
  throw new DomainError("invalid_input", "invalid_file_name", `files: the file name ${shown} ${problem}.`, [{ path: "files", message: `the file name ${problem}` }]);
}

export function fileTooLarge(name: string, cap: number): DomainError {
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 37)}…` : name);
  return new DomainError("too_large", "file_too_large", `files: ${shown} is larger than ${formatMegabytes(cap)}, the most one file of a release may weigh.`);
}
