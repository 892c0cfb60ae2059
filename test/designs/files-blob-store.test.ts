import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { blobPath, type BlobStore, createBlobStore } from "../../server/platform/blob-store/index.ts";
import { DomainError } from "../../server/platform/errors.ts";

/** Every file under a directory, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

function chunks(count: number, size: number, fill = 7): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < count; i++) yield Buffer.alloc(size, fill + i);
  })());
}

describe("the blob store", () => {
  let parent: string;
  let store: BlobStore;
  before(async () => {
    parent = await mkdtemp(join(tmpdir(), "cn-blobs-"));
    store = createBlobStore(join(parent, "root"));
  });
  after(() => rm(parent, { recursive: true, force: true }));

  test("stores bytes under their SHA-256, once, and reads them back whole or by range", async () => {
    const bytes = Buffer.concat([Buffer.alloc(1000, 7), Buffer.alloc(1000, 8), Buffer.alloc(1000, 9)]);
    const sha = createHash("sha256").update(bytes).digest("hex");
    const first = await store.put(chunks(3, 1000), { maxBytes: 5000 });
    assert.deepEqual(first, { sha256: sha, size: 3000, created: true });
    const again = await store.put(chunks(3, 1000), { maxBytes: 5000 });
    assert.deepEqual(again, { sha256: sha, size: 3000, created: false });
    assert.deepEqual(await filesUnder(store.root), [`sha256/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`]);
    assert.deepEqual(await readFile(blobPath(store.root, sha)), bytes);

    const { stream, size } = await store.open(sha, { start: 998, end: 1001 });
    assert.equal(size, 3000);
    assert.deepEqual(Buffer.concat(await stream.toArray()), Buffer.from([7, 7, 8, 8]));
    assert.equal(await store.has(sha), true);
    await store.remove(sha);
    assert.equal(await store.has(sha), false);
    await assert.rejects(store.open(sha), (e: unknown) => e instanceof DomainError && e.kind === "not_found");
  });

  test("a stream past the cap is refused with the cap named, and leaves no file behind", async () => {
    await assert.rejects(store.put(chunks(10, 1024 * 1024), { maxBytes: 3 * 1024 * 1024 }), (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.kind, "too_large");
      assert.match(e.message, /larger than 3 MB/);
      return true;
    });
    assert.deepEqual(await filesUnder(store.root), []);
  });

  test("the source is left readable after a refusal, so a multipart body can be drained", async () => {
    const source = chunks(4, 100);
    await assert.rejects(store.put(source, { maxBytes: 150 }));
    assert.equal(source.destroyed, false);
    const rest = Buffer.concat(await source.toArray());
    assert.ok(rest.byteLength >= 200, "the remaining chunks are still there");
  });

  test("temporary files a crash left are swept after a day; recent ones and other files are kept", async () => {
    const tmp = join(store.root, "tmp");
    await mkdir(tmp, { recursive: true });
    const stale = join(tmp, `${"a".repeat(32)}.part`);
    const fresh = join(tmp, `${"b".repeat(32)}.part`);
    const other = join(tmp, "operator-notes.txt");
    for (const path of [stale, fresh, other]) await writeFile(path, "x");
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(stale, twoDaysAgo, twoDaysAgo);
    await utimes(other, twoDaysAgo, twoDaysAgo);
    assert.equal(await store.sweepTemporary(24 * 3600), 1);
    assert.deepEqual((await readdir(tmp)).sort(), [`${"b".repeat(32)}.part`, "operator-notes.txt"]);
    await rm(tmp, { recursive: true });
  });

  test("only a 64-hex digest addresses a blob", async () => {
    for (const bad of ["../../etc/passwd", "A".repeat(64), "0".repeat(63), `${"0".repeat(62)}/x`]) {
      assert.throws(() => store.localPath(bad), TypeError);
      await assert.rejects(store.has(bad), TypeError);
    }
  });
});
