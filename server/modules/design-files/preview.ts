import { Readable } from "node:stream";
import sharp, { type Metadata, type OutputInfo, type SharpOptions } from "sharp";
import type { BlobStore } from "../../platform/blob-store/index.ts";
import { DomainError } from "../../platform/errors.ts";

/** The same ceiling as uploaded pictures (server/modules/media): a PNG bomb is refused from its header. */
export const MAX_PREVIEW_INPUT_PIXELS = 40_000_000;
/** The longest side of a preview: enough for a release page's file list and a Mastodon card. */
export const PREVIEW_SIDE = 640;

export interface FilePreview {
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
}

const DECODE: SharpOptions = { limitInputPixels: MAX_PREVIEW_INPUT_PIXELS, failOn: "truncated", pages: 1, sequentialRead: true };
/** sharp's names for the raster types the sniffer lets through (AVIF is HEIF with AV1). */
const SHARP_FORMATS: Readonly<Record<string, string>> = { "image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp", "image/avif": "heif" };

/**
 * A 640 px WebP of a raster image, stored as a blob of its own. libvips reads the stored file lazily and
 * sequentially, so only the header and a strip of pixels are ever in memory; the pixel count is checked from
 * the header before anything is decoded. Returns the preview and whether its blob is new.
 */
export async function makePreview(blobs: BlobStore, sourceSha256: string, mediaType: string, name: string): Promise<FilePreview & { created: boolean }> {
  const path = blobs.localPath(sourceSha256);
  const metadata = await readHeader(path, name);
  if (metadata.format !== SHARP_FORMATS[mediaType]) throw corrupt(name);
  const pixels = metadata.width * metadata.height;
  if (!Number.isFinite(pixels) || pixels <= 0) throw corrupt(name);
  if (pixels > MAX_PREVIEW_INPUT_PIXELS) {
    throw new DomainError(
      "invalid_input",
      "image_too_large",
      `files: ${quoted(name)} is ${metadata.width}×${metadata.height} pixels; an image may have at most ${MAX_PREVIEW_INPUT_PIXELS / 1_000_000} megapixels.`,
    );
  }
  let encoded: { data: Buffer; info: OutputInfo };
  try {
    encoded = await sharp(path, DECODE)
      .autoOrient()
      .resize({ width: PREVIEW_SIDE, height: PREVIEW_SIDE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw corrupt(name);
  }
  const stored = await blobs.put(Readable.from([encoded.data]), { maxBytes: Number.MAX_SAFE_INTEGER });
  return { sha256: stored.sha256, width: encoded.info.width, height: encoded.info.height, created: stored.created };
}

async function readHeader(path: string, name: string): Promise<Metadata> {
  try {
    // No pixel limit on the header read, so the refusal can name the dimensions; nothing is decoded yet.
    return await sharp(path, { ...DECODE, limitInputPixels: false }).metadata();
  } catch {
    throw corrupt(name);
  }
}

function corrupt(name: string): DomainError {
  return new DomainError("invalid_input", "invalid_image", `files: ${quoted(name)} looks like an image but is truncated or corrupt.`);
}

/** A client's file name, shortened, as messages quote it. */
export function quoted(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}…` : name);
}
