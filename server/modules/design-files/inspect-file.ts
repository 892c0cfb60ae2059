import type { BlobStore } from "../../platform/blob-store/index.ts";
import { DomainError } from "../../platform/errors.ts";
import { looksLikeSvg, RASTER_TYPES, rasterTypeOf, readHead, SVG_TYPE, typeByExtension } from "./media-type.ts";
import { type FilePreview, makePreview, quoted } from "./preview.ts";
import { svgProblem } from "./svg-safety.ts";

export interface Inspection {
  readonly mediaType: string;
  readonly preview: FilePreview | null;
  /** Blobs the inspection stored (a new preview), for the caller to drop if the upload fails later. */
  readonly addedBlobs: readonly string[];
}

/**
 * What a stored file is, from its bytes first and its name second: raster images are recognised by their
 * signature and get a preview; SVG (by content, or by a .svg name whatever the content) is scanned and
 * refused when it could run script or load anything; the rest is typed by extension.
 */
export async function inspectStoredFile(blobs: BlobStore, sha256: string, name: string): Promise<Inspection> {
  const head = await readHead(blobs.localPath(sha256));
  const raster = rasterTypeOf(head);
  if (raster !== undefined && RASTER_TYPES.has(raster)) {
    const preview = await makePreview(blobs, sha256, raster, name);
    return { mediaType: raster, preview: { sha256: preview.sha256, width: preview.width, height: preview.height }, addedBlobs: preview.created ? [preview.sha256] : [] };
  }
  const byName = typeByExtension(name);
  if (looksLikeSvg(head) || byName === SVG_TYPE) {
    const problem = await svgProblem(blobs.localPath(sha256));
    if (problem !== null) {
      throw new DomainError("invalid_input", "unsafe_svg", `files: ${quoted(name)} is an SVG with ${problem}; remove it and upload the file again.`);
    }
    return { mediaType: SVG_TYPE, preview: null, addedBlobs: [] };
  }
  return { mediaType: byName, preview: null, addedBlobs: [] };
}
