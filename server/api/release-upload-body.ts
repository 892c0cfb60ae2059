import type { z } from "zod";
import { type MultipartLimits, readMultipartStream } from "../http/multipart-stream.ts";
import { API_JSON_LIMITS, MAX_JSON_BODY_BYTES } from "../http/read-json.ts";
import { assertFileName, type DesignFilesService, type FileBatch, fileTooLarge } from "../modules/design-files/index.ts";
import { formatMegabytes } from "../platform/blob-store/index.ts";
import { badRequest, DomainError } from "../platform/errors.ts";
import { jsonBoundsViolation } from "../platform/json-bounds.ts";

/** Room for part headers and boundaries around the files: 200 parts never take a megabyte. */
export const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export interface ReleaseUpload<M> {
  readonly metadata: M;
  /** The files, pinned until the caller calls `finish()` (published) or `abandon()` (not published). */
  readonly batch: FileBatch;
}

export interface ReleaseUploadOptions<S extends z.ZodType> {
  readonly designFiles: DesignFilesService;
  /** The metadata part's schema (the designs module's ReleaseInputSchema). */
  readonly metadataSchema: S;
  /** Checks that need the metadata before any file is stored, e.g. that the version is not taken yet. */
  readonly onMetadata?: (metadata: z.output<S>) => Promise<void>;
}

/**
 * Reads a release upload as it arrives: the `metadata` JSON part first (checked before any file is stored),
 * then each `files` part streamed into the blob store with the per-file cap and what is left of the release
 * cap, at most 200 files, no name twice. On any refusal the blobs stored so far that no release uses are
 * removed, so a failed upload leaves nothing behind; on success the caller publishes, then finishes the batch.
 */
export async function receiveReleaseUpload<S extends z.ZodType>(request: Request, options: ReleaseUploadOptions<S>): Promise<ReleaseUpload<z.output<S>>> {
  const { designFiles } = options;
  const { fileMaxBytes, releaseMaxBytes, maxFiles } = designFiles.limits;
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > releaseMaxBytes + MULTIPART_OVERHEAD_BYTES) throw releaseTooLarge(releaseMaxBytes);

  let metadata: { value: z.output<S> } | undefined;
  const batch = designFiles.startBatch();
  const names = new Set<string>();
  let used = 0;
  // Two text fields: the metadata, and room to name a `files` part sent without a filename.
  const limits: MultipartLimits = { files: maxFiles, fields: 2, fieldBytes: MAX_JSON_BODY_BYTES, bodyBytes: releaseMaxBytes + MULTIPART_OVERHEAD_BYTES };
  try {
    await readMultipartStream(
      request,
      {
        async field(name, value) {
          if (name === "files") throw invalid("files", "each file part needs a filename in its Content-Disposition");
          if (name !== "metadata") throw unexpectedField(name);
          if (metadata !== undefined) throw invalid("metadata", "send the metadata part once");
          metadata = { value: parseMetadata(value, options.metadataSchema) };
          await options.onMetadata?.(metadata.value);
        },
        async file(name, stream, info) {
          if (name !== "files") throw unexpectedField(name);
          if (metadata === undefined) throw invalid("metadata", "the metadata part must come first, before any file");
          const filename = info.filename ?? "";
          if (filename === "") throw invalid("files", "each file part needs a filename");
          assertFileName(filename);
          if (names.has(filename)) throw invalid("files", `two files are named ${JSON.stringify(filename.slice(0, 80))}; names must differ`);
          names.add(filename);
          const left = releaseMaxBytes - used;
          const file = await batch.receive(stream, filename, {
            maxBytes: Math.min(fileMaxBytes, left),
            tooLarge: () => (left < fileMaxBytes ? releaseTooLarge(releaseMaxBytes) : fileTooLarge(filename, fileMaxBytes)),
          });
          used += file.size;
        },
        tooLarge: () => releaseTooLarge(releaseMaxBytes),
        tooMany: (what) => (what === "files" ? invalid("files", `a release may hold at most ${maxFiles} files`) : unexpectedField("(a third text field)")),
      },
      limits,
    );
    if (metadata === undefined) throw invalid("metadata", "send the release's metadata as a JSON part named metadata, before the files");
  } catch (error) {
    await batch.abandon();
    throw error;
  }
  return { metadata: metadata.value, batch };
}

function parseMetadata<S extends z.ZodType>(text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`metadata: the part is not valid JSON: ${(error as Error).message}`);
  }
  const violation = jsonBoundsViolation(value, API_JSON_LIMITS);
  if (violation !== null) throw badRequest(`metadata: ${violation}`);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: ["metadata", ...issue.path.map(String)].join("."), message: issue.message }));
  throw new DomainError("invalid_input", "invalid_input", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

function invalid(path: string, message: string): DomainError {
  return new DomainError("invalid_input", "invalid_input", `${path}: ${message}.`, [{ path, message }]);
}

function unexpectedField(name: string): DomainError {
  return invalid(name.slice(0, 40) || "(unnamed)", "unknown part; send `metadata` (JSON) first, then `files` parts");
}

export function releaseTooLarge(cap: number): DomainError {
  return new DomainError("too_large", "release_too_large", `files: the release is larger than ${formatMegabytes(cap)}, the most one release may weigh.`);
}
