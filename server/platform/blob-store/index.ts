export { blobPath, isSha256, Sha256Schema } from "./blob-path.ts";
export { type BlobStore, type ByteRange, createBlobStore, formatMegabytes, type PutOptions, type StoredBlob } from "./blob-store.ts";
