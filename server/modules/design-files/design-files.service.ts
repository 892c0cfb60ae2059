import type { Readable } from "node:stream";
import { type BlobStore, type ByteRange, formatMegabytes } from "../../platform/blob-store/index.ts";
import { DomainError } from "../../platform/errors.ts";
import { fileNameProblem } from "./file-name.schema.ts";
import { type FileRole, guessRole } from "./file-role.ts";
import { inspectStoredFile } from "./inspect-file.ts";
import type { FilePreview } from "./preview.ts";

/** At most this many files in one release: a zip, a manifest and a page must list them all. */
export const MAX_RELEASE_FILES = 200;

export interface DesignFilesDeps {
  readonly blobs: BlobStore;
  readonly fileMaxBytes: number;
  readonly releaseMaxBytes: number;
  /** Whether a release file or preview uses the blob (the designs service's isBlobReferenced). */
  readonly isBlobReferenced: (sha256: string) => Promise<boolean>;
}

/** A file stored and inspected, ready to attach to a release (it matches the designs module's StoredReleaseFile). */
export interface ReceivedFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly role: string | null;
  readonly preview: FilePreview | null;
}

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

  /** Removes the blobs no release uses, of those a failed upload added: nothing half-stored stays behind. */
  async function discardUnreferenced(sha256s: Iterable<string>): Promise<void> {
    for (const sha256 of new Set(sha256s)) {
      if (!(await deps.isBlobReferenced(sha256))) await blobs.remove(sha256);
    }
  }

  return {
    limits,
    /**
     * Stores one file and inspects it. `added` lists the blobs this call created (the file and its
     * preview, unless they were stored already); on a refusal those are removed before it throws.
     */
    async receive(source: Readable | AsyncIterable<Uint8Array>, name: string, options: ReceiveOptions = {}): Promise<{ file: ReceivedFile; added: string[] }> {
      assertFileName(name);
      const maxBytes = Math.min(options.maxBytes ?? limits.fileMaxBytes, limits.fileMaxBytes);
      const tooLarge = options.tooLarge ?? ((cap: number) => fileTooLarge(name, cap));
      const stored = await blobs.put(source, { maxBytes, tooLarge });
      const added = stored.created ? [stored.sha256] : [];
      try {
        const inspection = await inspectStoredFile(blobs, stored.sha256, name);
        added.push(...inspection.addedBlobs);
        const role = options.role ?? guessRole(name, inspection.mediaType);
        return { file: { name, sha256: stored.sha256, size: stored.size, mediaType: inspection.mediaType, role, preview: inspection.preview }, added };
      } catch (error) {
        await discardUnreferenced(added);
        throw error;
      }
    },
    discardUnreferenced,
    /** A stored blob to serve, whole or one range of it. */
    open: (sha256: string, range?: ByteRange) => blobs.open(sha256, range),
    size: (sha256: string) => blobs.size(sha256),
  };
}

export type DesignFilesService = ReturnType<typeof createDesignFilesService>;

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
