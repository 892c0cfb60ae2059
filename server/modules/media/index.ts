/**
 * The one entry to uploads (the `media` table, which only this module writes). The pages and the API use
 * the service; other modules use the functions below, which take the database first so that projects,
 * profiles and notes can attach images in the transaction that commits their change.
 */
import type { Db } from "../../db/database.ts";
import { findMediaFile, type MediaFile } from "./media.repository.ts";
import type { MediaUpload } from "./media.schema.ts";
import { type MediaInfo, storeUpload, toMediaInfo } from "./media.service.ts";

export { parseMediaFileName } from "./media-url.ts";
export {
  attachProfileImage,
  describeAttachment,
  detachProfileImage,
  findMediaByIds,
  findMediaForOwner,
  type MediaInfo,
  type MediaRecord,
  storeUpload,
  toMediaInfo,
} from "./media.service.ts";

/** What the media service is made with, once, when the node starts. */
export interface MediaServiceDeps {
  readonly db: Db;
  /** Uploads are served under it, so their URLs are absolute. */
  readonly publicUrl: URL;
}

export function createMediaService(deps: MediaServiceDeps) {
  const { db, publicUrl } = deps;
  return {
    /**
     * Runs the file through the image pipeline and stores it for its uploader. `upload` is
     * MediaUploadSchema's output; a file that is not a usable image is a too_large or invalid_input DomainError.
     */
    async upload(ownerActorId: number, bytes: Uint8Array, upload: MediaUpload): Promise<MediaInfo> {
      return toMediaInfo(await storeUpload(db, ownerActorId, bytes, upload), publicUrl);
    },
    /** The stored WebP with its bytes, as the public media route serves it. */
    file: (id: string): Promise<MediaFile | undefined> => findMediaFile(db, id),
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
