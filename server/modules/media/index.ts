/**
 * The one entry to uploads (the `media` table, which only this module writes) for the pages, the API and the
 * other modules. Functions take the database first so that projects, profiles and notes can attach images
 * in the transaction that commits their change.
 */
export { findMediaFile } from "./media.repository.ts";
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
