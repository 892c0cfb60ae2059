import { UUID_PATTERN } from "../../platform/ids.ts";

/**
 * Where an upload is served. The extension comes from the stored (detected, re-encoded) format, never
 * from the uploaded file name (docs/security.md#media, MED-06). `/media/{id}` without it works too.
 */
export function mediaUrl(publicUrl: URL, id: string): string {
  return new URL(`/media/${id}.webp`, publicUrl).href;
}

/** The media id in the last path segment of a media URL ("{id}" or "{id}.webp"), or undefined. */
export function parseMediaFileName(fileName: string): string | undefined {
  const id = fileName.endsWith(".webp") ? fileName.slice(0, -".webp".length) : fileName;
  return UUID_PATTERN.test(id) ? id : undefined;
}
