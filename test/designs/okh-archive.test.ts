import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import { parse } from "smol-toml";
import { type OkhRelease, parseOkhToml, releaseArchiveEntries, releaseArchiveName } from "../../server/modules/okh/index.ts";
import { type BlobStore, createBlobStore } from "../../server/platform/blob-store/index.ts";
import { createZipStream } from "../../server/platform/zip/index.ts";
import { readZip } from "../helpers/zip-reader.ts";
import { okhDesign, okhLinks, okhRelease } from "./okh-fixtures.ts";

describe("a release's zip", () => {
  let dir: string;
  let blobs: BlobStore;
  let release: OkhRelease;
  const contents = new Map<string, Buffer>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "okh-archive-"));
    blobs = createBlobStore(join(dir, "blobs"));
    // The fixture's files, stored for real: their hashes and sizes are the ones the blob store computed.
    const files = [];
    for (const file of [...okhRelease.files, { ...okhRelease.files[0]!, name: "okh.toml", role: "other" }]) {
      const bytes = file.name === "frame.step" ? randomBytes(3 * 1024 * 1024) : Buffer.from(`${file.name}: ${randomBytes(8).toString("hex")}\n`);
      const stored = await blobs.put(Readable.from([bytes]), { maxBytes: 50 * 1024 * 1024 });
      contents.set(file.name, bytes);
      files.push({ ...file, sha256: stored.sha256, size: stored.size });
    }
    release = { ...okhRelease, files };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function writeArchive(name: string): Promise<string> {
    const path = join(dir, name);
    const entries = releaseArchiveEntries(okhDesign, release, okhLinks, (sha256) => blobs.open(sha256));
    await pipeline(createZipStream(entries), createWriteStream(path));
    return path;
  }

  test("unpacks into one folder where sha256sum -c SHA256SUMS passes against the stored hashes", async () => {
    const path = await writeArchive("release.zip");
    const folder = releaseArchiveName(okhDesign, release);
    assert.equal(folder, "solar-dryer-2.1.0");
    const out = join(dir, "unpacked");
    execFileSync("unzip", ["-q", path, "-d", out]);
    const check = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: join(out, folder), encoding: "utf8" });
    assert.match(check, /^frame\.step: OK$/m);
    assert.match(check, /^user guide\.pdf: OK$/m);
    assert.equal(check.trim().split("\n").length, release.files.length, "one line per release file");
    const sums = await readFile(join(out, folder, "SHA256SUMS"), "utf8");
    for (const file of release.files.filter((f) => f.name !== "okh.toml")) assert.ok(sums.includes(`${file.sha256}  ${file.name}\n`), file.name);
  });

  test("holds every file byte for byte, its okh.toml, and renames a release file that has a reserved name", async () => {
    const read = readZip(await readFile(await writeArchive("read.zip")));
    const byName = new Map(read.entries.map((e) => [e.name.replace(/^solar-dryer-2\.1\.0\//, ""), e.data]));
    for (const [name, bytes] of contents) {
      const archived = byName.get(name === "okh.toml" ? "release-okh.toml" : name);
      assert.ok(archived?.equals(bytes), name);
    }
    const manifest = byName.get("okh.toml")!.toString("utf8");
    assert.equal((parse(manifest) as { version: string }).version, "2.1.0");
    assert.equal(parseOkhToml(manifest).files.length, release.files.length, "the manifest names every release file");
    assert.equal(createHash("sha256").update(byName.get("frame.step")!).digest("hex"), release.files.find((f) => f.name === "frame.step")!.sha256);
  });

  test("a stored file that no longer matches its recorded size fails the archive instead of sending wrong bytes", async () => {
    const broken = { ...release, files: release.files.map((f) => (f.name === "BoM.csv" ? { ...f, size: f.size + 1 } : f)) };
    const entries = releaseArchiveEntries(okhDesign, broken, okhLinks, (sha256) => blobs.open(sha256));
    await assert.rejects(pipeline(createZipStream(entries), createWriteStream(join(dir, "broken.zip"))), /BoM\.csv" ended at/);
  });
});
