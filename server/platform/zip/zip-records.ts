// The records of a ZIP file, as PKWARE's APPNOTE.TXT 6.3.10 lays them out
// (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT): APPNOTE 4.3.7 the local file header,
// APPNOTE 4.3.9 the data descriptor, APPNOTE 4.3.12 the central directory header, APPNOTE 4.3.14 to 4.3.16
// the ZIP64 end records, APPNOTE 4.5.3 the ZIP64 extra field. Little-endian throughout. Only STORED
// entries (method 0) are written.

/** A 32-bit field that does not fit: the value lives in the ZIP64 extra field instead (APPNOTE 4.4.8). */
export const ZIP32_MAX = 0xffff_ffff;
/** The most entries the classic end record can count (APPNOTE 4.4.21). */
export const ZIP32_MAX_ENTRIES = 0xffff;

/** Bit 3: CRC and sizes follow the data in a descriptor. Bit 11: the name is UTF-8 (APPNOTE 4.4.4, appendix D). */
const FLAGS = (1 << 3) | (1 << 11);
const VERSION_ZIP = 20;
const VERSION_ZIP64 = 45;
/** "Made by" UNIX (3, upper byte) and spec 4.5, so external attributes carry permissions (APPNOTE 4.4.2). */
const MADE_BY = (3 << 8) | VERSION_ZIP64;
/** A regular file, rw-r--r--, in the upper 16 bits of the external attributes. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

export interface EntryRecord {
  readonly name: Buffer;
  readonly dosTime: number;
  readonly dosDate: number;
  readonly crc: number;
  readonly size: number;
  readonly offset: number;
  /** The local header announced ZIP64, so its data descriptor carries 8-byte sizes. */
  readonly zip64: boolean;
}

/** MS-DOS date and time (APPNOTE 4.4.6), local fields read as UTC; DOS cannot say anything before 1980. */
export function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    dosTime: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    dosDate: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function writeBig(buffer: Buffer, value: number, offset: number): void {
  buffer.writeBigUInt64LE(BigInt(value), offset);
}

/** APPNOTE 4.3.7. With bit 3 set the CRC and sizes are zero here; a ZIP64 entry says so with 0xFFFFFFFF and an extra field. */
export function localHeader(name: Buffer, dosTime: number, dosDate: number, zip64: boolean): Buffer {
  const extraLength = zip64 ? 20 : 0;
  const header = Buffer.alloc(30 + name.length + extraLength);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_ZIP, 4);
  header.writeUInt16LE(FLAGS, 6);
  header.writeUInt16LE(0, 8);
  header.writeUInt16LE(dosTime, 10);
  header.writeUInt16LE(dosDate, 12);
  header.writeUInt32LE(0, 14);
  header.writeUInt32LE(zip64 ? ZIP32_MAX : 0, 18);
  header.writeUInt32LE(zip64 ? ZIP32_MAX : 0, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(extraLength, 28);
  name.copy(header, 30);
  if (zip64) {
    // APPNOTE 4.5.3: the local header's ZIP64 field holds both sizes; zero, since the descriptor carries them.
    header.writeUInt16LE(0x0001, 30 + name.length);
    header.writeUInt16LE(16, 32 + name.length);
  }
  return header;
}

/** APPNOTE 4.3.9, with its optional signature; sizes are 8 bytes when the local header announced ZIP64. */
export function dataDescriptor(crc: number, size: number, zip64: boolean): Buffer {
  const descriptor = Buffer.alloc(zip64 ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc, 4);
  if (zip64) {
    writeBig(descriptor, size, 8);
    writeBig(descriptor, size, 16);
  } else {
    descriptor.writeUInt32LE(size, 8);
    descriptor.writeUInt32LE(size, 12);
  }
  return descriptor;
}

/** APPNOTE 4.3.12: a field that does not fit in 32 bits is 0xFFFFFFFF, and its value goes to the ZIP64 extra field in APPNOTE 4.5.3's order. */
export function centralHeader(entry: EntryRecord): Buffer {
  const large: number[] = [];
  const sizeField = entry.zip64 || entry.size >= ZIP32_MAX ? ZIP32_MAX : entry.size;
  if (sizeField === ZIP32_MAX) large.push(entry.size, entry.size);
  const offsetField = entry.offset >= ZIP32_MAX ? ZIP32_MAX : entry.offset;
  if (offsetField === ZIP32_MAX) large.push(entry.offset);
  const extraLength = large.length > 0 ? 4 + 8 * large.length : 0;
  const header = Buffer.alloc(46 + entry.name.length + extraLength);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY, 4);
  header.writeUInt16LE(large.length > 0 ? VERSION_ZIP64 : VERSION_ZIP, 6);
  header.writeUInt16LE(FLAGS, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(entry.dosTime, 12);
  header.writeUInt16LE(entry.dosDate, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(sizeField, 20);
  header.writeUInt32LE(sizeField, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(extraLength, 30);
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk number start
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  header.writeUInt32LE(offsetField, 42);
  entry.name.copy(header, 46);
  if (large.length > 0) {
    const at = 46 + entry.name.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(8 * large.length, at + 2);
    large.forEach((value, index) => writeBig(header, value, at + 4 + 8 * index));
  }
  return header;
}

/**
 * The end of the central directory (APPNOTE 4.3.16), preceded by the ZIP64 end record and its locator
 * (APPNOTE 4.3.14, APPNOTE 4.3.15) when the count, the directory's size or its offset does not fit the classic one.
 */
export function endRecords(entries: number, directoryOffset: number, directorySize: number): Buffer {
  const needsZip64 = entries >= ZIP32_MAX_ENTRIES || directoryOffset >= ZIP32_MAX || directorySize >= ZIP32_MAX;
  const parts: Buffer[] = [];
  if (needsZip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    writeBig(record, 44, 4); // the size of the rest of this record
    record.writeUInt16LE(MADE_BY, 12);
    record.writeUInt16LE(VERSION_ZIP64, 14);
    record.writeUInt32LE(0, 16); // this disk
    record.writeUInt32LE(0, 20); // the disk where the directory starts
    writeBig(record, entries, 24);
    writeBig(record, entries, 32);
    writeBig(record, directorySize, 40);
    writeBig(record, directoryOffset, 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeUInt32LE(0, 4);
    writeBig(locator, directoryOffset + directorySize, 8);
    locator.writeUInt32LE(1, 16); // one disk in all
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(Math.min(entries, ZIP32_MAX_ENTRIES), 8);
  end.writeUInt16LE(Math.min(entries, ZIP32_MAX_ENTRIES), 10);
  end.writeUInt32LE(Math.min(directorySize, ZIP32_MAX), 12);
  end.writeUInt32LE(Math.min(directoryOffset, ZIP32_MAX), 16);
  end.writeUInt16LE(0, 20);
  parts.push(end);
  return Buffer.concat(parts);
}
