import { crc32 } from "node:zlib";

/** One entry as an independent reader finds it: from the central directory, checked against its local header and descriptor. */
export interface ReadZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly crc: number;
  readonly flags: number;
  readonly method: number;
  /** The central header carried a ZIP64 extra field. */
  readonly zip64: boolean;
}

export interface ReadZip {
  readonly entries: ReadZipEntry[];
  /** The archive ended with ZIP64 end records. */
  readonly zip64End: boolean;
}

/**
 * Reads a whole ZIP archive the way an unzip tool does, written here from APPNOTE.TXT without the
 * writer's code: end record (and ZIP64 end record), central directory, then each local header, its
 * data and its data descriptor. Every disagreement between them throws, as does a wrong CRC-32.
 */
export function readZip(archive: Buffer): ReadZip {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("no end of central directory record");
  let count = archive.readUInt16LE(endAt + 10);
  let directorySize = archive.readUInt32LE(endAt + 12);
  let directoryOffset = archive.readUInt32LE(endAt + 16);
  let zip64End = false;
  if (endAt >= 20 && archive.readUInt32LE(endAt - 20) === 0x07064b50) {
    zip64End = true;
    const recordAt = Number(archive.readBigUInt64LE(endAt - 20 + 8));
    if (archive.readUInt32LE(recordAt) !== 0x06064b50) throw new Error("ZIP64 locator points at no ZIP64 end record");
    count = Number(archive.readBigUInt64LE(recordAt + 32));
    directorySize = Number(archive.readBigUInt64LE(recordAt + 40));
    directoryOffset = Number(archive.readBigUInt64LE(recordAt + 48));
  }
  const entries: ReadZipEntry[] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`central header ${index} has a bad signature`);
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    let compressed = archive.readUInt32LE(at + 20);
    let size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    let offset = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    let zip64 = false;
    const extra = archive.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    for (let e = 0; e < extra.length; ) {
      const id = extra.readUInt16LE(e);
      const length = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        zip64 = true;
        let v = e + 4;
        const next = () => { const value = Number(extra.readBigUInt64LE(v)); v += 8; return value; };
        if (size === 0xffffffff) size = next();
        if (compressed === 0xffffffff) compressed = next();
        if (offset === 0xffffffff) offset = next();
      }
      e += 4 + length;
    }
    if (compressed !== size || method !== 0) throw new Error(`${name}: not a STORED entry`);
    if (archive.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${name}: no local header at ${offset}`);
    const localFlags = archive.readUInt16LE(offset + 6);
    const localNameLength = archive.readUInt16LE(offset + 26);
    const localExtraLength = archive.readUInt16LE(offset + 28);
    const localName = archive.subarray(offset + 30, offset + 30 + localNameLength).toString("utf8");
    if (localName !== name || localFlags !== flags) throw new Error(`${name}: local header disagrees with the central directory`);
    const dataAt = offset + 30 + localNameLength + localExtraLength;
    const data = archive.subarray(dataAt, dataAt + size);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 does not match its data`);
    if ((flags & 0x08) !== 0) {
      const d = dataAt + size;
      if (archive.readUInt32LE(d) !== 0x08074b50) throw new Error(`${name}: no data descriptor after its data`);
      const localZip64 = localExtraLength > 0 && archive.readUInt16LE(offset + 30 + localNameLength) === 0x0001;
      const descriptorSize = localZip64 ? Number(archive.readBigUInt64LE(d + 16)) : archive.readUInt32LE(d + 12);
      if (archive.readUInt32LE(d + 4) !== crc || descriptorSize !== size) throw new Error(`${name}: data descriptor disagrees`);
    }
    entries.push({ name, data, crc, flags, method, zip64 });
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== directoryOffset + directorySize) throw new Error("central directory size does not match its records");
  return { entries, zip64End };
}
