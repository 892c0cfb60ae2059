import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import { createZipStream, type ZipEntry, zipSize } from "../../server/platform/zip/index.ts";
import { readZip } from "../helpers/zip-reader.ts";

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const text = (name: string, content: string): ZipEntry => ({ name, size: Buffer.byteLength(content), open: () => content });

// Info-ZIP's unzip and Python's zipfile are the independent readers next to ours (test/helpers/zip-reader.ts);
// the test fails, rather than skips, when they are missing, so a green run always means three readers agreed.
function unzipTest(path: string): string {
  return execFileSync("unzip", ["-t", path], { encoding: "utf8" });
}
function pythonNames(path: string, checkEveryCrc = true): string[] {
  const check = checkEveryCrc ? "assert z.testzip() is None\n" : "";
  const script = `import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n${check}print('\\n'.join(z.namelist()))`;
  return execFileSync("python3", ["-c", script, path], { encoding: "utf8" }).trim().split("\n");
}

describe("createZipStream", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "zip-test-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("stored entries with UTF-8 names, CRC-32 and data descriptors read back by three readers", async () => {
    const binary = randomBytes(70_000);
    const archive = await collect(
      createZipStream([text("okh.toml", 'name = "Séchoir solaire"\n'), { name: "cad/châssis ☀.step", size: binary.length, open: () => Readable.from([binary.subarray(0, 1000), binary.subarray(1000)]) }, text("empty.txt", "")], {
        modified: new Date("2026-09-01T10:00:00Z"),
      }),
    );
    const read = readZip(archive);
    assert.equal(archive.length, zipSize([{ name: "okh.toml", size: 26 }, { name: "cad/châssis ☀.step", size: binary.length }, { name: "empty.txt", size: 0 }]), "the announced length is the written one");
    assert.deepEqual(read.entries.map((e) => e.name), ["okh.toml", "cad/châssis ☀.step", "empty.txt"]);
    assert.equal(read.entries[0]!.data.toString("utf8"), 'name = "Séchoir solaire"\n');
    assert.ok(read.entries[1]!.data.equals(binary));
    assert.equal(read.entries[2]!.data.length, 0);
    for (const entry of read.entries) {
      assert.equal(entry.method, 0, "STORED");
      assert.equal(entry.flags & 0x0808, 0x0808, "bit 3 (descriptor) and bit 11 (UTF-8)");
    }
    assert.equal(read.zip64End, false);

    const path = join(dir, "basic.zip");
    await writeFile(path, archive);
    assert.match(unzipTest(path), /No errors detected/);
    assert.deepEqual(pythonNames(path), ["okh.toml", "cad/châssis ☀.step", "empty.txt"]);
  });

  test("ZIP64 records (as for a file of 4 GiB or more) are read back by every reader", async () => {
    const data = randomBytes(5000);
    const archive = await collect(createZipStream([{ name: "big.bin", size: data.length, open: () => data }, text("b.txt", "b")], { forceZip64: true }));
    const read = readZip(archive);
    assert.equal(archive.length, zipSize([{ name: "big.bin", size: 5000 }, { name: "b.txt", size: 1 }], { forceZip64: true }));
    assert.deepEqual(read.entries.map((e) => [e.name, e.zip64]), [["big.bin", true], ["b.txt", true]]);
    assert.ok(read.entries[0]!.data.equals(data));
    const path = join(dir, "zip64.zip");
    await writeFile(path, archive);
    assert.match(unzipTest(path), /No errors detected/);
    assert.deepEqual(pythonNames(path), ["big.bin", "b.txt"]);
  });

  test("more than 65,535 entries end with ZIP64 end records", async () => {
    function* many(): Generator<ZipEntry> {
      for (let i = 0; i < 65_537; i++) yield text(`f/${i}`, String(i % 10));
    }
    const archive = await collect(createZipStream(many()));
    const read = readZip(archive);
    assert.equal(archive.length, zipSize([...many()]));
    assert.equal(read.zip64End, true);
    assert.equal(read.entries.length, 65_537);
    assert.equal(read.entries[65_536]!.name, "f/65536");
    assert.equal(read.entries[65_536]!.data.toString(), "6");
    const path = join(dir, "many.zip");
    await writeFile(path, archive);
    assert.equal(pythonNames(path, false).length, 65_537, "our reader checked every CRC already");
  });

  test("a 20 MB file is streamed through in small chunks and comes out whole", async () => {
    const source = join(dir, "twenty.bin");
    const block = randomBytes(1 << 20);
    await writeFile(source, Buffer.concat(Array.from({ length: 20 }, () => block)));
    const expected = createHash("sha256").update(await readFile(source)).digest("hex");
    const size = (await stat(source)).size;
    let largestChunk = 0;
    const zip = createZipStream([{ name: "twenty.bin", size, open: () => createReadStream(source) }]);
    zip.on("data", (chunk: Buffer) => {
      largestChunk = Math.max(largestChunk, chunk.length);
    });
    const out = join(dir, "twenty.zip");
    await pipeline(zip, createWriteStream(out));
    assert.ok(largestChunk <= 64 * 1024, `chunks stay at the file stream's 64 KiB (largest ${largestChunk})`);
    assert.match(unzipTest(out), /twenty\.bin\s+OK/);
    const read = readZip(await readFile(out));
    assert.equal(createHash("sha256").update(read.entries[0]!.data).digest("hex"), expected);
  });

  test("unsafe or repeated names, and a source that lies about its size, fail the archive", async () => {
    for (const name of ["../escape.txt", "/etc/passwd", "a/../../b", "C:/x", "a\\b", "nul\u0000.txt", "", "a//b"]) {
      await assert.rejects(collect(createZipStream([text(name, "x")])), /zip entry name/, name);
    }
    await assert.rejects(collect(createZipStream([text("a", "x"), text("a", "y")])), /appears twice/);
    await assert.rejects(collect(createZipStream([{ name: "short", size: 10, open: () => "abc" }])), /ended at 3 of its declared 10 bytes/);
    await assert.rejects(collect(createZipStream([{ name: "long", size: 2, open: () => "abc" }])), /longer than its declared 2 bytes/);
    await assert.rejects(collect(createZipStream([text("a", "1"), text("b", "2")], { maxEntries: 1 })), /at most 1 entries/);
  });
});
