import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { createDesignFilesService, type DesignFilesService, fileNameProblem, iconKind, guessRole } from "../../server/modules/design-files/index.ts";
import { createBlobStore } from "../../server/platform/blob-store/index.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { decompressionBombPng, gradientPng } from "../fixtures/images/generate-images.ts";

const svg = (body: string) => Buffer.from(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">${body}</svg>`);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

function refusal(kind: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    assert.match(error.message, pattern);
    return true;
  };
}

describe("design files: names, types, previews and unsafe SVG", () => {
  let dir: string;
  let files: DesignFilesService;
  const referenced = new Set<string>();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "cn-design-files-"));
    files = createDesignFilesService({
      blobs: createBlobStore(dir),
      fileMaxBytes: 1024 * 1024,
      releaseMaxBytes: 4 * 1024 * 1024,
      isBlobReferenced: async (sha) => referenced.has(sha),
    });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("a file name is one path segment a downloader can save", () => {
    assert.equal(fileNameProblem("frame v2.step"), null);
    assert.equal(fileNameProblem("Ünïcödé — plan.pdf"), null);
    assert.match(fileNameProblem("../../etc/passwd")!, /path separator|'\.\.'/);
    assert.match(fileNameProblem("..")!, /'\.\.'/);
    assert.match(fileNameProblem("a\0b.png")!, /NUL/);
    assert.match(fileNameProblem("/etc/passwd")!, /absolute path/);
    assert.match(fileNameProblem("C:\\boot.ini")!, /absolute path/);
    assert.match(fileNameProblem("dir\\file.txt")!, /path separator/);
    assert.match(fileNameProblem("bell\u0007.txt")!, /control character/);
    assert.match(fileNameProblem("invoice\u202Efdp.exe")!, /control character/);
    assert.match(fileNameProblem("x".repeat(1000))!, /1000 bytes long; a file name may have at most 255/);
  });

  test("a PNG is typed from its bytes and gets a 640 px WebP preview stored as a blob", async () => {
    const png = await gradientPng(1600, 900);
    const { file, added } = await files.receive(Readable.from([png]), "photo.dat");
    assert.equal(file.mediaType, "image/png");
    assert.equal(file.role, "image");
    assert.ok(file.preview !== null);
    assert.deepEqual([file.preview.width, file.preview.height], [640, 360]);
    assert.deepEqual(added, [file.sha256, file.preview.sha256]);
    const { stream } = await files.open(file.preview.sha256);
    const meta = await sharp(Buffer.concat(await stream.toArray())).metadata();
    assert.equal(meta.format, "webp");
  });

  test("a decompression bomb is refused from its header, naming its size, and leaves nothing stored", async () => {
    const before = await filesUnder(dir);
    await assert.rejects(files.receive(Readable.from([decompressionBombPng(20000, 20000)]), "bomb.png"), refusal("invalid_input", /"bomb\.png" is 20000×20000 pixels; an image may have at most 40 megapixels/));
    assert.deepEqual(await filesUnder(dir), before);
  });

  const unsafe: [string, string, RegExp][] = [
    ["a script", `<script>alert(1)</script>`, /a <script> element/],
    ["an onload handler", `<rect width="1" height="1" onload="alert(1)"/>`, /an event handler attribute \(onload/],
    ["an external href", `<image href="https://tracker.example/pixel.png" width="1" height="1"/>`, /an external reference \(href="https:\/\/tracker\.example/],
    ["an external xlink:href", `<use xlink:href="other.svg#part"/>`, /an external reference \(href="other\.svg#part"\)/],
    ["a javascript: link", `<a href="#x"><text>x</text></a><a xlink:href="javascript:alert(1)">y</a>`, /javascript: URL|external reference/],
    ["a foreignObject", `<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>`, /<foreignObject> element/],
    ["an external url()", `<rect style="fill: url(https://evil.example/p.svg#g)"/>`, /url\(https:\/\/evil\.example/],
  ];
  for (const [what, body, found] of unsafe) {
    test(`an SVG with ${what} is refused, naming it`, async () => {
      await assert.rejects(files.receive(Readable.from([svg(body)]), "drawing.svg"), refusal("invalid_input", found));
      assert.deepEqual(await filesUnder(join(dir, "tmp")), []);
    });
  }

  test("a script hidden past the first chunk, or in a file not named .svg, is still found", async () => {
    const padded = svg(`<desc>${"x".repeat(200_000)}</desc><svg:script xmlns:svg="http://www.w3.org/2000/svg">1</svg:script>`);
    await assert.rejects(files.receive(Readable.from([padded]), "plan.svg"), refusal("invalid_input", /<script> element/));
    await assert.rejects(files.receive(Readable.from([svg("<script>1</script>")]), "plan.xml"), refusal("invalid_input", /<script> element/));
  });

  test("an SVG that only links inside itself is kept, typed image/svg+xml, without preview", async () => {
    const safe = svg(`<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/><use href="#g"/>`);
    const { file } = await files.receive(Readable.from([safe]), "cut-plan.svg");
    assert.equal(file.mediaType, "image/svg+xml");
    assert.equal(file.preview, null);
    assert.equal(file.role, "export");
  });

  test("other files are typed by extension, else octet-stream, and get a role and an icon", async () => {
    const step = await files.receive(Readable.from([Buffer.from("ISO-10303-21;\nHEADER;\nENDSEC;\n")]), "frame.STEP");
    assert.equal(step.file.mediaType, "model/step");
    assert.equal(step.file.role, "export");
    const html = await files.receive(Readable.from([Buffer.from("<html><script>1</script></html>")]), "notes.html");
    assert.equal(html.file.mediaType, "application/octet-stream");
    assert.equal(guessRole("bom.csv", "text/csv"), "bom");
    assert.equal(guessRole("parts.csv", "text/csv"), "other");
    assert.equal(guessRole("frame.FCStd", "application/vnd.freecad"), "source");
    assert.equal(guessRole("assembly-guide.pdf", "application/pdf"), "manual");
    assert.equal(guessRole("drawing.pdf", "application/pdf"), "export");
    assert.equal(guessRole("README.md", "text/markdown"), "manual");
    assert.equal(iconKind("model/step", "frame.step"), "cad");
    assert.equal(iconKind("image/png", "p.png"), "image");
    assert.equal(iconKind("text/csv", "bom.csv"), "spreadsheet");
    assert.equal(iconKind("application/zip", "x.zip"), "archive");
    assert.equal(iconKind("text/plain", "firmware.ino"), "code");
    assert.equal(iconKind("text/markdown", "README.md"), "text");
    assert.equal(iconKind("application/pdf", "manual.pdf"), "document");
    assert.equal(iconKind("application/octet-stream", "blob.bin"), "other");
  });

  test("a file past the cap is refused naming the file and the cap", async () => {
    await assert.rejects(files.receive(Readable.from([Buffer.alloc(700_000), Buffer.alloc(700_000)]), "big.stl"), refusal("too_large", /"big\.stl" is larger than 1 MB/));
    await assert.rejects(files.receive(Readable.from([Buffer.alloc(10)]), "../x"), refusal("invalid_input", /file name "\.\.\/x" contains a path separator/));
  });
});
