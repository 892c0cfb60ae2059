import { getLogger } from "@logtape/logtape";
import { encode as encodeBlurhash } from "blurhash";
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from "sharp";
import { DomainError } from "../../platform/errors.ts";
import type { MediaPurpose } from "./media.schema.ts";

const logger = getLogger(["commonsnet", "media"]);

/** Mastodon's own cap for images (app/models/media_attachment.rb); larger uploads get a 413. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
/** Well under sharp's default of 268 MP: a 14000×14000 PNG bomb is refused from its header (docs/security.md#media, MED-01). */
export const MAX_INPUT_PIXELS = 40_000_000;
export const OUTPUT_CONTENT_TYPE = "image/webp";

export const NOT_AN_IMAGE_MESSAGE = "The file is not an image (expected JPEG, PNG, WebP, GIF or AVIF).";
const CORRUPT_MESSAGE = "The image is truncated or corrupt and could not be decoded.";

/** Formats sharp detects from magic bytes that we accept (MED-06); everything else is refused. */
const ACCEPTED_FORMATS: ReadonlySet<string> = new Set(["jpeg", "png", "webp", "gif", "heif"]);

/** What the stored derivative looks like; only these new bytes are ever served (MED-04). */
export interface ProcessedImage {
  readonly data: Buffer;
  readonly contentType: typeof OUTPUT_CONTENT_TYPE;
  readonly width: number;
  readonly height: number;
  readonly blurhash: string;
}

const DECODE_OPTIONS: SharpOptions = {
  limitInputPixels: MAX_INPUT_PIXELS,
  // Abort on truncated pixel data rather than store a half-grey picture (MED-02).
  failOn: "truncated",
  // GIF and animated WebP: the first frame only, so frame count × area cannot exhaust memory (MED-03).
  pages: 1,
};

blockUntrustedDecoders();

/**
 * Only the loaders of accepted formats stay reachable in libvips, as Mastodon does with
 * VIPS_BLOCK_UNTRUSTED (docs/security.md#media, MED-08): TIFF, SVG, PDF, magick, the vips format and the
 * rest are refused even if a caller forgets the format check. The block is process-wide.
 */
function blockUntrustedDecoders(): void {
  sharp.block({ operation: ["VipsForeignLoad"] });
  sharp.unblock({
    operation: ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadNsgif", "VipsForeignLoadHeif"],
  });
}

/**
 * Turns uploaded bytes into the stored WebP: the format comes from magic bytes, pixel and byte limits
 * are checked from the header before any decode, EXIF orientation is applied, every piece of
 * metadata (EXIF, GPS, XMP, ICC) is dropped, and the picture is fitted to its purpose without being
 * enlarged. Throws a 413/422 DomainError whose message says what was wrong.
 */
export async function processImage(input: Uint8Array, purpose: MediaPurpose): Promise<ProcessedImage> {
  if (input.byteLength > MAX_IMAGE_BYTES) {
    throw new DomainError("too_large", "payload_too_large", `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
  }
  const metadata = await readHeader(input);
  const { width, height } = metadata.autoOrient;
  let encoded: { data: Buffer; info: OutputInfo };
  try {
    encoded = await fitToPurpose(sharp(input, DECODE_OPTIONS).autoOrient(), purpose, width, height)
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    logger.info("Refused an upload that failed to decode: {error}", { error });
    throw new DomainError("invalid_input", "invalid_image", CORRUPT_MESSAGE);
  }
  return {
    data: encoded.data,
    contentType: OUTPUT_CONTENT_TYPE,
    width: encoded.info.width,
    height: encoded.info.height,
    blurhash: await blurhashOf(encoded.data),
  };
}

/** Reads only the header: format, dimensions and orientation. */
async function readHeader(input: Uint8Array): Promise<Metadata> {
  let metadata: Metadata;
  try {
    // No pixel limit here, so the refusal below can name the dimensions; nothing is decoded yet.
    metadata = await sharp(input, { ...DECODE_OPTIONS, limitInputPixels: false }).metadata();
  } catch (error) {
    const unsupported = /unsupported image format|is blocked/i.test((error as Error).message);
    throw new DomainError("invalid_input", unsupported ? "not_an_image" : "invalid_image", unsupported ? NOT_AN_IMAGE_MESSAGE : CORRUPT_MESSAGE);
  }
  if (!ACCEPTED_FORMATS.has(metadata.format)) throw new DomainError("invalid_input", "not_an_image", NOT_AN_IMAGE_MESSAGE);
  if (metadata.format === "heif" && metadata.compression !== "av1") {
    // sharp's prebuilt libvips has no HEVC decoder (patents); AVIF shares the HEIF container.
    throw new DomainError("invalid_input", "unsupported_image", "HEIC photos cannot be read here; export the photo as JPEG and upload it again.");
  }
  const pixels = metadata.width * metadata.height;
  if (!Number.isFinite(pixels) || pixels <= 0) throw new DomainError("invalid_input", "invalid_image", CORRUPT_MESSAGE);
  if (pixels > MAX_INPUT_PIXELS) {
    throw new DomainError(
      "invalid_input",
      "image_too_large",
      `The image is ${metadata.width}×${metadata.height} pixels; the limit is ${MAX_INPUT_PIXELS / 1_000_000} megapixels.`,
    );
  }
  return metadata;
}

/**
 * Avatars are cropped to a square of at most 400 px and banners to 3:1 of at most 1500×500, as
 * Mastodon crops them (`avatar.rb`, `header.rb`); attachments keep their shape within 2048 px. The
 * crop boxes are computed from the oriented size so that small pictures are never enlarged.
 */
function fitToPurpose(image: Sharp, purpose: MediaPurpose, width: number, height: number): Sharp {
  if (purpose === "avatar") {
    const side = Math.min(400, width, height);
    return image.resize({ width: side, height: side, fit: "cover", position: "centre" });
  }
  if (purpose === "banner") {
    const bannerWidth = Math.max(3, Math.min(1500, width, height * 3));
    return image.resize({ width: bannerWidth, height: Math.max(1, Math.round(bannerWidth / 3)), fit: "cover", position: "centre" });
  }
  return image.resize({ width: 2048, height: 2048, fit: "inside", withoutEnlargement: true });
}

/**
 * Blurhash with 4×3 components (Mastodon accepts at most 5 per axis). Encoding works on raw pixels
 * and costs seconds at full size, so the picture is shrunk to at most 32×32 first (docs/stack.md#sharp).
 */
async function blurhashOf(webp: Buffer): Promise<string> {
  const { data, info } = await sharp(webp)
    .resize({ width: 32, height: 32, fit: "inside" })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return encodeBlurhash(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, 4, 3);
}
