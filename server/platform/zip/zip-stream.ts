import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { checkedEntryName } from "./zip-entry-name.ts";
import { centralHeader, dataDescriptor, dosDateTime, type EntryRecord, endRecords, localHeader, ZIP32_MAX } from "./zip-records.ts";

/** Bytes an entry's content arrives in: a file stream, or a small generated text. */
export type ZipSource = AsyncIterable<Uint8Array> | Uint8Array | string;

export interface ZipEntry {
  /** A relative path with forward slashes; unsafe names are refused (zip-entry-name.ts). */
  readonly name: string;
  /** The exact number of bytes `open` gives: a stream that says otherwise fails the archive. */
  readonly size: number;
  /** Opened only when the archive reaches the entry, so one file at a time is open. */
  readonly open: () => ZipSource | Promise<ZipSource>;
  readonly modified?: Date;
}

export interface ZipOptions {
  /** The time of entries without their own. */
  readonly modified?: Date;
  /**
   * Write ZIP64 records even for small entries: the same code path as a file of 4 GiB or more,
   * which readers must accept at any size (APPNOTE 4.4.8), so tests can check it without 4 GiB.
   */
  readonly forceZip64?: boolean;
  /** Refuse archives of more entries than the classic end record can count, instead of writing ZIP64 ones. */
  readonly maxEntries?: number;
}

/**
 * A ZIP archive of STORED entries, produced as it is read: each entry is streamed from its source
 * with its CRC-32 computed on the way (zlib.crc32, Node ≥ 22.2), its CRC and size written after the
 * data in a descriptor (bit 3), so no file is ever held whole. Design files are mostly CAD, images
 * and archives that do not compress, so storing keeps it fast and simple. Sizes, offsets or counts
 * past the 32-bit/16-bit fields switch to ZIP64 records. Memory: one chunk and one central
 * directory record per entry.
 */
export function createZipStream(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>, options: ZipOptions = {}): Readable {
  return Readable.from(zipChunks(entries, options), { objectMode: false });
}

async function* zipChunks(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>, options: ZipOptions): AsyncGenerator<Uint8Array> {
  const records: EntryRecord[] = [];
  const names = new Set<string>();
  let offset = 0;
  for await (const entry of entries) {
    if (options.maxEntries !== undefined && records.length >= options.maxEntries) {
      throw new Error(`a zip archive here holds at most ${options.maxEntries} entries`);
    }
    if (names.has(entry.name)) throw new Error(`zip entry ${JSON.stringify(entry.name)} appears twice`);
    names.add(entry.name);
    const name = checkedEntryName(entry.name);
    if (!Number.isSafeInteger(entry.size) || entry.size < 0) throw new Error(`zip entry ${JSON.stringify(entry.name)} has no valid size`);
    const { dosTime, dosDate } = dosDateTime(entry.modified ?? options.modified ?? new Date(0));
    const zip64 = options.forceZip64 === true || entry.size >= ZIP32_MAX;
    const start = offset;
    const header = localHeader(name, dosTime, dosDate, zip64);
    yield header;
    offset += header.length;

    let crc = 0;
    let written = 0;
    for await (const chunk of sourceChunks(await entry.open())) {
      written += chunk.byteLength;
      if (written > entry.size) throw new Error(`zip entry ${JSON.stringify(entry.name)} is longer than its declared ${entry.size} bytes`);
      crc = crc32(chunk, crc);
      yield chunk;
    }
    if (written !== entry.size) throw new Error(`zip entry ${JSON.stringify(entry.name)} ended at ${written} of its declared ${entry.size} bytes`);
    offset += written;

    const descriptor = dataDescriptor(crc, written, zip64);
    yield descriptor;
    offset += descriptor.length;
    records.push({ name, dosTime, dosDate, crc, size: written, offset: start, zip64 });
  }

  const directoryOffset = offset;
  let directorySize = 0;
  for (const record of records) {
    const header = centralHeader(record);
    directorySize += header.length;
    yield header;
  }
  yield endRecords(records.length, directoryOffset, directorySize);
}

async function* sourceChunks(source: ZipSource): AsyncGenerator<Uint8Array> {
  if (typeof source === "string") yield Buffer.from(source, "utf8");
  else if (source instanceof Uint8Array) yield source;
  else for await (const chunk of source) yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}


/**
 * The exact length of the archive `createZipStream` writes for these entries, from their names and
 * declared sizes alone (every record's length is fixed by them), so a download can announce its
 * Content-Length and show progress before a byte is read.
 */
export function zipSize(entries: readonly Pick<ZipEntry, "name" | "size">[], options: Pick<ZipOptions, "forceZip64"> = {}): number {
  let offset = 0;
  let directorySize = 0;
  for (const entry of entries) {
    const name = checkedEntryName(entry.name);
    const zip64 = options.forceZip64 === true || entry.size >= ZIP32_MAX;
    const record = { name, dosTime: 0, dosDate: 0, crc: 0, size: entry.size, offset, zip64 };
    offset += localHeader(name, 0, 0, zip64).length + entry.size + dataDescriptor(0, entry.size, zip64).length;
    directorySize += centralHeader(record).length;
  }
  return offset + directorySize + endRecords(entries.length, offset, directorySize).length;
}
