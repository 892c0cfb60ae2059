import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import type { Part } from "../helpers/multipart-stream-body.ts";
import { decompressionBombPng } from "../fixtures/images/generate-images.ts";
import { createDesign } from "../designs/design-fixtures.ts";
import { bytesPart, filesInStorage, generatedPart, MB, metadataPart, referencedBlobPaths, releaseCount, STEP_BYTES, uploadRelease } from "../designs/upload-helpers.ts";
import { createMember, type TestMember } from "../projects/project-fixtures.ts";

const svg = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">${body}</svg>`);

let parent: string;
let node: TestNode;
let alice: TestMember;

before(async () => {
  parent = await mkdtemp(join(tmpdir(), "cn-hostile-uploads-"));
  node = await createTestNode({ STORAGE_DIR: join(parent, "root"), DESIGN_FILE_MAX_MB: "1", DESIGN_RELEASE_MAX_MB: "2" });
  alice = await createMember(node, "alice");
  await createDesign(node, alice, { handle: "water-filter", name: "Water filter" });
  const first = await uploadRelease(node, alice, "water-filter", [metadataPart({ version: "1.0.0" }), bytesPart("filter.step", STEP_BYTES)]);
  assert.equal(first.status, 201, first.text);
});
after(async () => {
  await node.close();
  await rm(parent, { recursive: true, force: true });
});

/**
 * Every refusal leaves the node as it was: no release row, only blobs a release uses under the storage root,
 * nothing in its temporary folder, nothing at all beside the root, and /healthz still fine.
 */
async function assertNothingHalfStored(): Promise<void> {
  assert.equal(await releaseCount(node), 1, "only the first release exists");
  assert.deepEqual(await filesInStorage(node), await referencedBlobPaths(node), "the storage root holds only blobs a release uses");
  assert.deepEqual(await readdir(parent), ["root"], "nothing was written beside the storage root");
  assert.equal((await node.http.get("/healthz")).status, 200);
}

const cases: { what: string; parts: Part[]; status: number; message: RegExp }[] = [
  { what: "a file over the per-file cap", parts: [generatedPart("small.stl", 1000, 1), generatedPart("housing.stl", 1.5 * MB, 2)], status: 413, message: /"housing\.stl" is larger than 1 MB/ },
  {
    what: "files that together pass the release cap",
    parts: [generatedPart("a.stl", 0.9 * MB, 3), generatedPart("b.stl", 0.9 * MB, 4), generatedPart("c.stl", 0.9 * MB, 5)],
    status: 413,
    message: /release is larger than 2 MB/,
  },
  { what: "a decompression bomb PNG", parts: [bytesPart("bomb.png", decompressionBombPng(30000, 30000))], status: 422, message: /"bomb\.png" is 30000×30000 pixels; an image may have at most 40 megapixels/ },
  { what: "an SVG with a script", parts: [bytesPart("plan.svg", svg("<script>alert(document.cookie)</script>"))], status: 422, message: /"plan\.svg" is an SVG with a <script> element/ },
  { what: "an SVG with an external href", parts: [bytesPart("plan.svg", svg('<image xlink:href="https://tracker.example/p.png"/>'))], status: 422, message: /an external reference \(href="https:\/\/tracker\.example\/p\.png"\)/ },
  { what: "an SVG with onload", parts: [bytesPart("plan.svg", svg('<rect onload="fetch(1)" width="1" height="1"/>'))], status: 422, message: /an event handler attribute \(onload\)/ },
  { what: "a name with ../", parts: [bytesPart("../../../etc/cron.d/evil", STEP_BYTES)], status: 422, message: /path separator/ },
  { what: "a name with a NUL", parts: [{ ...bytesPart("frame\0.step", STEP_BYTES), filenameStar: true }], status: 422, message: /NUL/ },
  { what: "an absolute path", parts: [bytesPart("/etc/passwd", STEP_BYTES)], status: 422, message: /absolute path/ },
  { what: "a 1,000-character name", parts: [bytesPart(`${"n".repeat(996)}.stl`, STEP_BYTES)], status: 422, message: /1000 bytes long; a file name may have at most 255/ },
  { what: "two files with one name", parts: [bytesPart("frame.step", STEP_BYTES), bytesPart("frame.step", Buffer.from("other"))], status: 422, message: /two files are named "frame\.step"/ },
];

describe(`hostile design uploads are clear 4xx answers that leave nothing behind, on ${ENGINE_LABEL}`, () => {
  for (const { what, parts, status, message } of cases) {
    test(what, async () => {
      const res = await uploadRelease(node, alice, "water-filter", [metadataPart({ version: "1.1.0" }), ...parts]);
      assert.equal(res.status, status, res.text);
      assert.match(res.body.message, message);
      await assertNothingHalfStored();
    });
  }

  test("a duplicate version is a 409, refused at the metadata", async () => {
    const res = await uploadRelease(node, alice, "water-filter", [metadataPart({ version: "1.0.0" }), generatedPart("new.stl", 0.5 * MB, 9)]);
    assert.equal(res.status, 409, res.text);
    assert.match(res.body.message, /already has a release 1\.0\.0/);
    await assertNothingHalfStored();
  });

  test("a body declared larger than the release cap is refused before it is read", async () => {
    const res = await node.http
      .post("/api/v1/designs/water-filter/releases")
      .set("Authorization", `Bearer ${alice.token}`)
      .set("Content-Type", "multipart/form-data; boundary=x")
      .send(Buffer.alloc(4 * MB));
    assert.equal(res.status, 413, res.text);
    assert.match(res.body.message, /release is larger than 2 MB/);
    await assertNothingHalfStored();
  });

  test("files after the metadata only: a file first is a 422", async () => {
    const res = await uploadRelease(node, alice, "water-filter", [bytesPart("frame.step", STEP_BYTES), metadataPart({ version: "1.1.0" })]);
    assert.equal(res.status, 422, res.text);
    assert.match(res.body.message, /metadata: the metadata part must come first/);
    await assertNothingHalfStored();
  });

  test("a body cut short is a 400, and what it stored is removed", async () => {
    const res = await node.http
      .post("/api/v1/designs/water-filter/releases")
      .set("Authorization", `Bearer ${alice.token}`)
      .set("Content-Type", "multipart/form-data; boundary=xyz")
      .send(`--xyz\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"version":"1.1.0"}\r\n--xyz\r\nContent-Disposition: form-data; name="files"; filename="half.stl"\r\n\r\n${"s".repeat(5000)}`);
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.message, /malformed or was cut short/);
    await assertNothingHalfStored();
  });
});
