import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { browserCookies, createMember, CSRF_TOKEN, pngBytes, type TestMember } from "../projects/project-fixtures.ts";
import { createDesign } from "./design-fixtures.ts";
import { bytesPart, filesInStorage, generatedPart, MB, metadataPart, referencedBlobPaths, releaseCount, SAFE_SVG, STEP_BYTES, uploadRelease } from "./upload-helpers.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** supertest keeps binary bodies as Buffers only when told to (its parser gets the Node response stream). */
function binary(res: unknown, done: (error: Error | null, body: Buffer) => void) {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
}

let node: TestNode;
let alice: TestMember;
let bob: TestMember;
let png: Buffer;

before(async () => {
  node = await createTestNode();
  alice = await createMember(node, "alice");
  bob = await createMember(node, "bob");
  await createDesign(node, alice, { handle: "bike-trailer", name: "Bike trailer" });
  png = await pngBytes(1280, 960);
});
after(async () => {
  await node.close();
});

describe("publishing a release with files", () => {
  test("a maintainer uploads a PNG, an SVG and a STEP file; each is described with its hash, type and role", async () => {
    const res = await uploadRelease(node, alice, "bike-trailer", [
      metadataPart({ version: "1.0.0", notes: "First build.", trl: "OTRL-4", bom: [{ part: "M8 bolt", quantity: 4 }] }),
      bytesPart("photo.png", png, "image/png"),
      bytesPart("cut-plan.svg", SAFE_SVG, "image/svg+xml"),
      bytesPart("frame.step", STEP_BYTES),
    ]);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.version, "1.0.0");
    assert.equal(res.body.iri, "https://city-a.test/@bike-trailer/releases/1.0.0");
    assert.equal(res.body.totalBytes, png.length + SAFE_SVG.length + STEP_BYTES.length);
    const files = res.body.files as { name: string; size: number; sha256: string; mediaType: string; role: string; url: string; previewUrl: string | null }[];
    assert.deepEqual(files.map((f) => [f.name, f.size, f.sha256, f.mediaType, f.role]), [
      ["photo.png", png.length, sha256(png), "image/png", "image"],
      ["cut-plan.svg", SAFE_SVG.length, sha256(SAFE_SVG), "image/svg+xml", "export"],
      ["frame.step", STEP_BYTES.length, sha256(STEP_BYTES), "model/step", "export"],
    ]);
    assert.equal(files[0]!.url, "https://city-a.test/@bike-trailer/releases/1.0.0/files/photo.png");
    assert.equal(files[0]!.previewUrl, "https://city-a.test/@bike-trailer/releases/1.0.0/files/photo.png/preview");
    assert.equal(files[1]!.previewUrl, null);
    const release = await node.services.designs.release("bike-trailer", "1.0.0");
    assert.deepEqual(release.bom.map((l) => l.part), ["M8 bolt"]);
    assert.deepEqual(await filesInStorage(node), await referencedBlobPaths(node), "every stored blob is used, and nothing else is on disk");
  });

  test("the PNG downloads inline, byte for byte, with nosniff, a sandboxing CSP and its hash as ETag", async () => {
    const res = await node.http.get("/@bike-trailer/releases/1.0.0/files/photo.png").buffer(true).parse(binary);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, png);
    assert.equal(res.headers["content-type"], "image/png");
    assert.equal(res.headers["content-length"], String(png.length));
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.equal(res.headers["content-security-policy"], "default-src 'none'; sandbox");
    assert.equal(res.headers["content-disposition"], `inline; filename="photo.png"; filename*=UTF-8''photo.png`);
    assert.equal(res.headers.etag, `"${sha256(png)}"`);
    assert.equal(res.headers["accept-ranges"], "bytes");
  });

  test("the SVG and the STEP file download as attachments, never inline", async () => {
    const svg = await node.http.get("/@bike-trailer/releases/1.0.0/files/cut-plan.svg").buffer(true).parse(binary);
    assert.equal(svg.status, 200);
    assert.deepEqual(svg.body, SAFE_SVG);
    assert.equal(svg.headers["content-type"], "image/svg+xml");
    assert.match(svg.headers["content-disposition"]!, /^attachment; filename="cut-plan\.svg"/);
    assert.equal(svg.headers["content-security-policy"], "default-src 'none'; sandbox");
    const step = await node.http.get("/@bike-trailer/releases/1.0.0/files/frame.step").buffer(true).parse(binary);
    assert.deepEqual(step.body, STEP_BYTES);
    assert.equal(step.headers["content-type"], "model/step");
    assert.match(step.headers["content-disposition"]!, /^attachment; filename="frame\.step"/);
    assert.equal(step.headers["x-content-type-options"], "nosniff");
  });

  test("the preview is a 640 px WebP, shown inline", async () => {
    const res = await node.http.get("/@bike-trailer/releases/1.0.0/files/photo.png/preview").buffer(true).parse(binary);
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "image/webp");
    assert.match(res.headers["content-disposition"]!, /^inline; filename="photo\.preview\.webp"/);
    const meta = await sharp(res.body as Buffer).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 640, 480]);
    await node.http.get("/@bike-trailer/releases/1.0.0/files/frame.step/preview").expect(404);
  });

  test("HEAD, one byte range, If-None-Match and an unsatisfiable range", async () => {
    const head = await node.http.head("/@bike-trailer/releases/1.0.0/files/frame.step");
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], String(STEP_BYTES.length));
    assert.equal(head.headers.etag, `"${sha256(STEP_BYTES)}"`);
    const part = await node.http.get("/@bike-trailer/releases/1.0.0/files/frame.step").set("Range", "bytes=4-8").buffer(true).parse(binary);
    assert.equal(part.status, 206);
    assert.deepEqual(part.body, STEP_BYTES.subarray(4, 9));
    assert.equal(part.headers["content-range"], `bytes 4-8/${STEP_BYTES.length}`);
    assert.equal(part.headers["content-length"], "5");
    await node.http.get("/@bike-trailer/releases/1.0.0/files/frame.step").set("If-None-Match", `"${sha256(STEP_BYTES)}"`).expect(304);
    const beyond = await node.http.get("/@bike-trailer/releases/1.0.0/files/frame.step").set("Range", "bytes=999999-");
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers["content-range"], `bytes */${STEP_BYTES.length}`);
    await node.http.get("/@bike-trailer/releases/1.0.0/files/missing.step").expect(404);
    await node.http.get("/@bike-trailer/releases/9.9.9/files/frame.step").expect(404);
  });

  test("the same file in a second release is stored once", async () => {
    const before = await filesInStorage(node);
    const res = await uploadRelease(node, alice, "bike-trailer", [metadataPart({ version: "1.1.0" }), bytesPart("photo-again.png", png), bytesPart("frame.step", STEP_BYTES)]);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(await filesInStorage(node), before, "no new blob: the PNG, its preview and the STEP file were stored already");
    assert.equal(res.body.files[0].sha256, sha256(png));
  });

  test("rights are checked before the body: not signed in 401, not a maintainer 403, no such design 404", async () => {
    const parts = [metadataPart({ version: "2.0.0" }), bytesPart("frame.step", STEP_BYTES)];
    assert.equal((await uploadRelease(node, undefined, "bike-trailer", parts)).status, 401);
    const forbidden = await uploadRelease(node, bob, "bike-trailer", parts);
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.body.message, /maintainers of @bike-trailer/);
    assert.equal((await uploadRelease(node, alice, "no-such-design", parts)).status, 404);
    assert.equal(await releaseCount(node), 2);
  });

  test("a browser session uploads with X-CSRF-Token; without it the upload is refused unread", async () => {
    const cookies = await browserCookies(node, alice);
    const parts = [metadataPart({ version: "1.2.0" }), bytesPart("frame.step", STEP_BYTES)];
    const refused = await uploadRelease(node, undefined, "bike-trailer", parts, { Cookie: cookies, Origin: "https://city-a.test" });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /X-CSRF-Token/);
    const accepted = await uploadRelease(node, undefined, "bike-trailer", parts, { Cookie: cookies, Origin: "https://city-a.test", "X-CSRF-Token": CSRF_TOKEN });
    assert.equal(accepted.status, 201, accepted.text);
  });

  test("a release larger than the 17 MB that bounds other requests goes through, and a non-ASCII name is kept", async () => {
    const res = await uploadRelease(node, alice, "bike-trailer", [metadataPart({ version: "2.0.0" }), generatedPart("Gehäuse groß.stl", 18 * MB, 7)]);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.files[0].size, 18 * MB);
    assert.equal(res.body.files[0].url, "https://city-a.test/@bike-trailer/releases/2.0.0/files/Geh%C3%A4use%20gro%C3%9F.stl");
    const head = await node.http.head("/@bike-trailer/releases/2.0.0/files/Geh%C3%A4use%20gro%C3%9F.stl");
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], String(18 * MB));
    assert.equal(head.headers["content-disposition"], `attachment; filename="Geh_use gro_.stl"; filename*=UTF-8''Geh%C3%A4use%20gro%C3%9F.stl`);
  });

  test("a multipart upload is needed", async () => {
    const res = await node.http.post("/api/v1/designs/bike-trailer/releases").set("Authorization", `Bearer ${alice.token}`).send({ version: "3.0.0" });
    assert.equal(res.status, 415);
  });
});
