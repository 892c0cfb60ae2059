import type { Selectable } from "kysely";
import type { DbOrTrx, MediaTable } from "../../db/database.ts";
import type { MediaPurpose } from "./media.schema.ts";

/** An upload without its bytes. */
export interface MediaRecord {
  readonly id: string;
  readonly ownerActorId: number;
  readonly purpose: MediaPurpose;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly blurhash: string;
  readonly alt: string;
  readonly focalX: number;
  readonly focalY: number;
  readonly createdAt: Date;
}

/** The stored bytes and what the HTTP response needs. */
export interface MediaFile {
  readonly id: string;
  readonly contentType: string;
  readonly data: Uint8Array<ArrayBuffer>;
  readonly createdAt: Date;
}

export interface NewMedia {
  readonly id: string;
  readonly ownerActorId: number;
  readonly purpose: MediaPurpose;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly blurhash: string;
  readonly alt: string;
  readonly focalX: number;
  readonly focalY: number;
  readonly data: Uint8Array;
}

const RECORD_COLUMNS = [
  "id",
  "owner_actor_id",
  "purpose",
  "content_type",
  "width",
  "height",
  "bytes",
  "blurhash",
  "alt",
  "focal_x",
  "focal_y",
  "created_at",
] as const;

function rowToRecord(row: Omit<Selectable<MediaTable>, "data">): MediaRecord {
  return {
    id: row.id,
    ownerActorId: row.owner_actor_id,
    purpose: row.purpose,
    contentType: row.content_type,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    blurhash: row.blurhash,
    alt: row.alt,
    focalX: row.focal_x,
    focalY: row.focal_y,
    createdAt: row.created_at,
  };
}

export async function insertMedia(db: DbOrTrx, media: NewMedia): Promise<MediaRecord> {
  const row = await db
    .insertInto("media")
    .values({
      id: media.id,
      owner_actor_id: media.ownerActorId,
      purpose: media.purpose,
      content_type: media.contentType,
      width: media.width,
      height: media.height,
      bytes: media.data.byteLength,
      blurhash: media.blurhash,
      alt: media.alt,
      focal_x: media.focalX,
      focal_y: media.focalY,
      data: media.data,
    })
    .returning(RECORD_COLUMNS)
    .executeTakeFirstOrThrow();
  return rowToRecord(row);
}

export async function findMediaFile(db: DbOrTrx, id: string): Promise<MediaFile | undefined> {
  const row = await db.selectFrom("media").select(["id", "content_type", "data", "created_at"]).where("id", "=", id).executeTakeFirst();
  // Both drivers return a Buffer or Uint8Array over a plain ArrayBuffer (never a SharedArrayBuffer).
  return row && { id: row.id, contentType: row.content_type, data: row.data as Uint8Array<ArrayBuffer>, createdAt: row.created_at };
}

/** The uploads among `ids` that exist, in the order of `ids`. */
export async function findMediaRecords(db: DbOrTrx, ids: readonly string[]): Promise<MediaRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("media").select(RECORD_COLUMNS).where("id", "in", [...ids]).execute();
  const byId = new Map(rows.map((row) => [row.id, rowToRecord(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The alt text of an upload; a write only when it changes. */
export async function setMediaAlt(db: DbOrTrx, mediaId: string, alt: string): Promise<void> {
  await db.updateTable("media").set({ alt }).where("id", "=", mediaId).where("alt", "<>", alt).execute();
}
