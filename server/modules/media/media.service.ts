import type { DbOrTrx } from "../../db/database.ts";
import { DomainError, notFound } from "../../platform/errors.ts";
import { uuidv7 } from "../../platform/ids.ts";
import { setActorProfileImage } from "../actors/index.ts";
import { processImage } from "./image-pipeline.ts";
import { findMediaRecords, insertMedia, type MediaRecord, setMediaAlt } from "./media.repository.ts";
import type { MediaUpload } from "./media.schema.ts";
import { mediaUrl } from "./media-url.ts";

export type { MediaRecord } from "./media.repository.ts";

/** An upload as other modules, the API and federation translators use it. */
export interface MediaInfo {
  readonly id: string;
  /** Absolute URL of the stored WebP, publicly readable (Mastodon fetches media with unsigned GETs). */
  readonly url: string;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly blurhash: string;
  readonly alt: string;
  readonly focalX: number;
  readonly focalY: number;
}

export function toMediaInfo(record: MediaRecord, publicUrl: URL): MediaInfo {
  return {
    id: record.id,
    url: mediaUrl(publicUrl, record.id),
    contentType: record.contentType,
    width: record.width,
    height: record.height,
    blurhash: record.blurhash,
    alt: record.alt,
    focalX: record.focalX,
    focalY: record.focalY,
  };
}

/**
 * Runs an uploaded file through the image pipeline and stores the derivative, owned by the uploader.
 * `upload` is MediaUploadSchema's output. Throws a 413/422 DomainError for files that are not usable images.
 */
export async function storeUpload(db: DbOrTrx, ownerActorId: number, bytes: Uint8Array, upload: MediaUpload): Promise<MediaRecord> {
  const image = await processImage(bytes, upload.purpose);
  return insertMedia(db, {
    id: uuidv7(),
    ownerActorId,
    purpose: upload.purpose,
    contentType: image.contentType,
    width: image.width,
    height: image.height,
    blurhash: image.blurhash,
    alt: upload.description,
    focalX: upload.focus.x,
    focalY: upload.focus.y,
    data: image.data,
  });
}

/** The uploads among `ids` that exist, in the order given, with their public URLs. */
export async function findMediaByIds(db: DbOrTrx, ids: readonly string[], publicUrl: URL): Promise<MediaInfo[]> {
  return (await findMediaRecords(db, ids)).map((record) => toMediaInfo(record, publicUrl));
}

/**
 * The uploads among `ids` made by `ownerActorId`, in the order given. A caller attaching images
 * compares the count with `ids` to refuse someone else's uploads (docs/security.md#web, AUTHZ-12).
 */
export async function findMediaForOwner(db: DbOrTrx, ids: readonly string[], ownerActorId: number): Promise<MediaRecord[]> {
  return (await findMediaRecords(db, ids)).filter((record) => record.ownerActorId === ownerActorId);
}

/**
 * Makes an upload the avatar or banner of `actorId`. The upload must have been made by
 * `uploaderActorId` (the actor itself for a member; the maintainer who uploaded it for a project)
 * for that purpose, so it was cropped as Mastodon expects. Someone else's upload is a 404, as if it
 * did not exist.
 */
export async function attachProfileImage(
  db: DbOrTrx,
  actorId: number,
  mediaId: string,
  kind: "avatar" | "banner",
  uploaderActorId: number = actorId,
): Promise<MediaRecord> {
  const [media] = await findMediaForOwner(db, [mediaId], uploaderActorId);
  if (media === undefined) throw notFound(`No upload ${mediaId} of yours exists.`);
  if (media.purpose !== kind) {
    const made = media.purpose === "attachment" ? "an attachment" : `a ${media.purpose}`;
    throw new DomainError("invalid_input", "invalid_input", `Upload ${mediaId} was made as ${made}; upload the image again with purpose "${kind}".`);
  }
  await setActorProfileImage(db, actorId, kind, media.id);
  return media;
}

/**
 * Sets the alt text of an image attached to a note. The caller checked that the image is the
 * poster's upload or already on the note (docs/security.md#web, AUTHZ-12).
 */
export async function describeAttachment(db: DbOrTrx, mediaId: string, alt: string): Promise<void> {
  await setMediaAlt(db, mediaId, alt);
}

/** Removes the avatar or banner of `actorId` (the upload itself stays). */
export async function detachProfileImage(db: DbOrTrx, actorId: number, kind: "avatar" | "banner"): Promise<void> {
  await setActorProfileImage(db, actorId, kind, null);
}
