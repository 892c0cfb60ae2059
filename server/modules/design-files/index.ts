/**
 * The one entry to design files: storing, inspecting and serving the files of design releases. This module
 * owns no table; the bytes live in the blob store (server/platform/blob-store) under their SHA-256.
 */
export {
  assertFileName,
  createDesignFilesService,
  type DesignFilesDeps,
  type DesignFilesService,
  type FileBatch,
  fileTooLarge,
  MAX_RELEASE_FILES,
  type ReceivedFile,
  type ReceiveOptions,
} from "./design-files.service.ts";
export { fileNameProblem, MAX_FILE_NAME_BYTES, ReleaseFileNameSchema } from "./file-name.schema.ts";
export { FILE_ROLES, type FileRole, FileRoleSchema, guessRole } from "./file-role.ts";
export { type IconKind, iconKind } from "./icon-kind.ts";
export { FALLBACK_TYPE, RASTER_TYPES, SVG_TYPE } from "./media-type.ts";
export { type FilePreview, MAX_PREVIEW_INPUT_PIXELS, PREVIEW_SIDE } from "./preview.ts";
