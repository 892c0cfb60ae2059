// A streaming ZIP writer (STORED entries, data descriptors, UTF-8 names, ZIP64 when needed).
export { createZipStream, type ZipEntry, type ZipOptions, type ZipSource, zipSize } from "./zip-stream.ts";
export { checkedEntryName } from "./zip-entry-name.ts";
export { ZIP32_MAX_ENTRIES } from "./zip-records.ts";
