import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, beforeEach, describe, test } from "node:test";
import { z } from "zod";
import { receiveReleaseUpload } from "../../server/api/release-upload-body.ts";
import { createDesignFilesService, type DesignFilesService } from "../../server/modules/design-files/index.ts";
import { createBlobStore } from "../../server/platform/blob-store/index.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { generatedBytes, multipartBody, type Part } from "../helpers/multipart-stream-body.ts";

const MB = 1024 * 1024;
const Metadata = z.object({ version: z.string().regex(/^\d+\.\d+\.\d+$/, { error: "must look like 1.2.3" }) });
const metadata = (version = "1.0.0"): Part => ({ field: "metadata", value: JSON.stringify({ version }) });
const file = (filename: string, bytes: number, seed = 1): Part => ({ field: "files", filename, bytes: () => generatedBytes(bytes, seed) });

async function blobsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

/**
 * The upload body on its own (no HTTP, no designs service): parts in order, caps while streaming, and a
 * failed upload leaving no blob that nothing uses. The release upload route's tests cover the rest.
 */
describe("reading a release upload", () => {
  let dir: string;
  let designFiles: DesignFilesService;
  const referenced = new Set<string>();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "cn-upload-body-"));
  });
  beforeEach(async () => {
    await rm(dir, { recursive: true, force: true });
    designFiles = createDesignFilesService({ blobs: createBlobStore(dir), fileMaxBytes: 2 * MB, releaseMaxBytes: 5 * MB, isBlobReferenced: async (sha) => referenced.has(sha) });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function upload(parts: Part[], onMetadata?: (m: z.output<typeof Metadata>) => Promise<void>) {
    const { contentType, body } = multipartBody(parts);
    const request = new Request("http://node.test/upload", { method: "POST", headers: { "content-type": contentType }, body, duplex: "half" } as RequestInit);
    return receiveReleaseUpload(request, { designFiles, metadataSchema: Metadata, onMetadata });
  }

  function refused(kind: string, pattern: RegExp) {
    return (error: unknown) => {
      assert.ok(error instanceof DomainError, String(error));
      assert.equal(error.kind, kind);
      assert.match(error.message, pattern);
      return true;
    };
  }

  test("metadata then files: each stored once by hash, with its size and type", async () => {
    const result = await upload([metadata("1.2.0"), file("frame.step", MB + 17, 1), file("copy.step", MB + 17, 1), file("bom.csv", 300, 2)]);
    assert.deepEqual(result.metadata, { version: "1.2.0" });
    assert.deepEqual(result.batch.files.map((f) => [f.name, f.size, f.mediaType, f.role]), [
      ["frame.step", MB + 17, "model/step", "export"],
      ["copy.step", MB + 17, "model/step", "export"],
      ["bom.csv", 300, "text/csv", "bom"],
    ]);
    assert.equal(result.batch.files[0]!.sha256, result.batch.files[1]!.sha256, "equal bytes, one hash");
    assert.equal((await blobsUnder(dir)).length, 2, "two distinct blobs on disk");
  });

  test("a file before the metadata is refused, and nothing is stored", async () => {
    await assert.rejects(upload([file("a.stl", 100), metadata()]), refused("invalid_input", /metadata: the metadata part must come first/));
    await assert.rejects(upload([file("a.stl", 100)]), refused("invalid_input", /metadata: the metadata part must come first/));
    await assert.rejects(upload([]), refused("invalid_input", /metadata: send the release's metadata/));
    assert.deepEqual(await blobsUnder(dir), []);
  });

  test("bad metadata is refused before any file is read, naming the field", async () => {
    await assert.rejects(upload([metadata("one"), file("a.stl", MB)]), refused("invalid_input", /metadata\.version: must look like 1\.2\.3/));
    await assert.rejects(upload([{ field: "metadata", value: "{nope" }, file("a.stl", 10)]), refused("bad_request", /metadata: the part is not valid JSON/));
    const seen: string[] = [];
    await assert.rejects(upload([metadata("2.0.0"), file("a.stl", MB)], async (m) => {
      seen.push(m.version);
      throw new DomainError("conflict", "conflict", "version: 2.0.0 is already published.");
    }), refused("conflict", /2\.0\.0 is already published/));
    assert.deepEqual(seen, ["2.0.0"]);
    assert.deepEqual(await blobsUnder(dir), []);
  });

  test("a file over the file cap is cut off with the file named, and the earlier files are removed", async () => {
    await assert.rejects(upload([metadata(), file("small.stl", 1000, 3), file("huge.stl", 3 * MB, 4), file("after.stl", 10, 5)]), refused("too_large", /"huge\.stl" is larger than 2 MB/));
    assert.deepEqual(await blobsUnder(dir), []);
  });

  test("files that together pass the release cap are refused as a release too large", async () => {
    await assert.rejects(upload([metadata(), file("a.stl", 2 * MB, 1), file("b.stl", 2 * MB, 2), file("c.stl", 2 * MB, 3)]), refused("too_large", /release is larger than 5 MB/));
    assert.deepEqual(await blobsUnder(dir), []);
  });

  test("a blob an existing release uses is kept when an upload that shares it fails", async () => {
    const first = await upload([metadata(), file("keep.stl", 1000, 9)]);
    referenced.add(first.batch.files[0]!.sha256);
    await assert.rejects(upload([metadata("1.0.1"), file("keep.stl", 1000, 9), file("bad/name.stl", 10)]), refused("invalid_input", /path separator/));
    assert.deepEqual(await blobsUnder(dir), [first.batch.files[0]!.sha256]);
  });

  test("a failed upload does not remove a blob another upload in progress holds", async () => {
    const first = designFiles.startBatch();
    const second = designFiles.startBatch();
    const a = await first.receive(Readable.from(generatedBytes(5000, 42)), "shared.stl");
    const b = await second.receive(Readable.from(generatedBytes(5000, 42)), "shared.stl");
    assert.equal(a.sha256, b.sha256);
    assert.deepEqual(first.added, [a.sha256]);
    assert.deepEqual(second.added, [], "the second found it stored");
    await first.abandon();
    assert.deepEqual(await blobsUnder(dir), [a.sha256], "kept: the second upload holds it");
    second.finish();
    await designFiles.discardUnreferenced([a.sha256]);
    assert.deepEqual(await blobsUnder(dir), [], "once nobody holds it and no release uses it, it can go");
  });

  test("duplicate names, hostile names, unknown parts and too many files are refused", async () => {
    await assert.rejects(upload([metadata(), file("a.stl", 10, 1), file("a.stl", 10, 2)]), refused("invalid_input", /two files are named "a\.stl"/));
    await assert.rejects(upload([metadata(), file("../../etc/cron.d/x", 10)]), refused("invalid_input", /path separator/));
    await assert.rejects(upload([metadata(), file("/etc/passwd", 10)]), refused("invalid_input", /absolute path/));
    await assert.rejects(upload([metadata(), { ...file("n\0ul.stl", 10), filenameStar: true }]), refused("invalid_input", /NUL/));
    // A raw NUL inside a part header is not multipart at all.
    await assert.rejects(upload([metadata(), file("n\0ul.stl", 10)]), refused("bad_request", /malformed/));
    await assert.rejects(upload([metadata(), file("x".repeat(1000), 10)]), refused("invalid_input", /1000 bytes long; a file name may have at most 255/));
    await assert.rejects(upload([metadata(), { field: "avatar", filename: "a.png", bytes: () => [Buffer.from("x")] }]), refused("invalid_input", /avatar: unknown part/));
    await assert.rejects(upload([metadata(), { field: "files", value: "not a file" }]), refused("invalid_input", /files: each file part needs a filename/));
    const many = Array.from({ length: 201 }, (_, i) => file(`f${i}.txt`, 1, i));
    await assert.rejects(upload([metadata(), ...many]), refused("invalid_input", /at most 200 files/));
    assert.deepEqual(await blobsUnder(dir), []);
  });
});
