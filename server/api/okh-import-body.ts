import type { Readable } from "node:stream";
import { type MultipartLimits, readMultipartStream } from "../http/multipart-stream.ts";
import { type DesignFilesService, fileTooLarge, type ReceivedFile } from "../modules/design-files/index.ts";
import { OKH_MANIFEST_MAX_BYTES, type OkhImport, type OkhNamedFile, parseOkhToml } from "../modules/okh/index.ts";
import { DomainError } from "../platform/errors.ts";
import { MULTIPART_OVERHEAD_BYTES, releaseTooLarge } from "./release-upload-body.ts";

export interface OkhImportUpload {
  readonly manifest: OkhImport;
  readonly files: readonly ReceivedFile[];
  /** Blobs this upload stored that were not stored before: removed if the design is not published. */
  readonly added: readonly string[];
}

export interface OkhImportOptions {
  readonly designFiles: DesignFilesService;
  /** The handle to give the design instead of one made from its name. */
  readonly handle?: string;
  /** Checks that need the manifest before any file is stored (the handle is free). */
  readonly onManifest?: (manifest: OkhImport) => Promise<void>;
}

/**
 * Reads an Open Know-How import as it arrives: the `manifest` part (okh.toml, as a file or a text
 * field, at most 256 KB) first, checked whole before any file is stored; then each `files` part,
 * which must be a file the manifest names (by its path as written or its last segment), streamed
 * into the blob store under the same caps as a release upload. Every file the manifest names must
 * arrive. On any refusal the blobs stored so far that no release uses are removed.
 */
export async function receiveOkhImport(request: Request, options: OkhImportOptions): Promise<OkhImportUpload> {
  const { designFiles } = options;
  const { fileMaxBytes, releaseMaxBytes, maxFiles } = designFiles.limits;
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > releaseMaxBytes + OKH_MANIFEST_MAX_BYTES + MULTIPART_OVERHEAD_BYTES) throw releaseTooLarge(releaseMaxBytes);

  let manifest: OkhImport | undefined;
  let named = new Map<string, OkhNamedFile>();
  const received = new Map<string, ReceivedFile>();
  const added: string[] = [];
  let used = 0;

  const acceptManifest = async (text: string) => {
    if (manifest !== undefined) throw invalid("manifest", "send the manifest part once");
    manifest = parseOkhToml(text, options.handle === undefined ? {} : { handle: options.handle });
    // A file part may carry the path as the manifest writes it (`cad/frame.scad`) or only its name.
    named = new Map(manifest.files.flatMap((file) => [[file.reference, file] as const, [file.name, file] as const]));
    await options.onManifest?.(manifest);
  };

  const limits: MultipartLimits = {
    files: maxFiles + 1,
    fields: 1,
    fieldBytes: OKH_MANIFEST_MAX_BYTES,
    bodyBytes: releaseMaxBytes + OKH_MANIFEST_MAX_BYTES + MULTIPART_OVERHEAD_BYTES,
  };
  try {
    await readMultipartStream(
      request,
      {
        async field(name, value) {
          if (name !== "manifest") throw unexpectedPart(name);
          await acceptManifest(value);
        },
        async file(name, stream, info) {
          if (name === "manifest") return await acceptManifest(await readManifestFile(stream));
          if (name !== "files") throw unexpectedPart(name);
          if (manifest === undefined) throw invalid("manifest", "the manifest part must come first, before any file");
          const filename = info.filename ?? "";
          const file = named.get(filename.replace(/^\/+/, ""));
          if (file === undefined) throw invalid("files", `${JSON.stringify(filename.slice(0, 80))} is not named in okh.toml; name it under source, export, bom, image, user-manual or auxiliary`);
          if (received.has(file.name)) throw invalid("files", `${JSON.stringify(file.name.slice(0, 80))} was sent twice`);
          const left = releaseMaxBytes - used;
          const stored = await designFiles.receive(stream, file.name, {
            role: file.role,
            maxBytes: Math.min(fileMaxBytes, left),
            tooLarge: () => (left < fileMaxBytes ? releaseTooLarge(releaseMaxBytes) : fileTooLarge(file.name, fileMaxBytes)),
          });
          added.push(...stored.added);
          used += stored.file.size;
          received.set(file.name, stored.file);
        },
        tooLarge: () => releaseTooLarge(releaseMaxBytes),
        tooMany: (what) => (what === "files" ? invalid("files", `a release may hold at most ${maxFiles} files`) : unexpectedPart("(a second text field)")),
      },
      limits,
    );
    if (manifest === undefined) throw invalid("manifest", "send okh.toml as a part named manifest, before the files");
    const missing = manifest.files.filter((file) => !received.has(file.name));
    if (missing.length > 0) {
      const issues = missing.map((file) => ({ path: file.key, message: `names ${JSON.stringify(file.reference)}, which was not sent: send it as a files part` }));
      throw new DomainError("invalid_input", "invalid_input", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
    }
    // In the manifest's order, which is the order an export lists them in.
    return { manifest, files: manifest.files.map((file) => received.get(file.name)!), added };
  } catch (error) {
    await designFiles.discardUnreferenced(added);
    throw error;
  }
}

/** The manifest sent as a file: read up to the cap, as UTF-8 (TOML 1.0 is UTF-8 only). */
async function readManifestFile(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop must not destroy the part: the multipart reader drains it, so the client reads our answer.
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    total += (chunk as Buffer).byteLength;
    if (total > OKH_MANIFEST_MAX_BYTES) {
      throw new DomainError("too_large", "manifest_too_large", `manifest: okh.toml must be at most ${OKH_MANIFEST_MAX_BYTES / 1024} KB`, [
        { path: "manifest", message: `must be at most ${OKH_MANIFEST_MAX_BYTES / 1024} KB` },
      ]);
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw invalid("manifest", "okh.toml is not UTF-8 text");
  }
}

function invalid(path: string, message: string): DomainError {
  return new DomainError("invalid_input", "invalid_input", `${path}: ${message}.`, [{ path, message }]);
}

function unexpectedPart(name: string): DomainError {
  return invalid(name.slice(0, 40) || "(unnamed)", "unknown part; send `manifest` (okh.toml) first, then `files` parts");
}
