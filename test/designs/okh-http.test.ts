import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "smol-toml";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { readZip } from "../helpers/zip-reader.ts";
import { createMember, pngBytes, type TestMember } from "../projects/project-fixtures.ts";
import { createDesign } from "./design-fixtures.ts";
import { binary, importDesign, manifestPart } from "./okh-import-helpers.ts";
import { bytesPart, filesInStorage, metadataPart, STEP_BYTES, uploadRelease } from "./upload-helpers.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const BOM_CSV = Buffer.from("part,quantity\nM8 bolt,4\n");
const GUIDE = Buffer.from("# Assembly\n\n1. Bolt the frame.\n");

let node: TestNode;
let alice: TestMember;
let png: Buffer;
let dir: string;
const files = () => ({ "photo.png": png, "frame.step": STEP_BYTES, "bom.csv": BOM_CSV, "assembly-guide.md": GUIDE });

before(async () => {
  node = await createTestNode({ NODE_NAME: "Lyon commons" });
  alice = await createMember(node, "alice");
  dir = await mkdtemp(join(tmpdir(), "okh-http-"));
  png = await pngBytes(320, 240);
  await createDesign(node, alice, {
    handle: "bike-trailer",
    name: "Bike trailer \"Mule\"",
    summary: "A cargo trailer for **bikes**.",
    function: "Carries 80 kg behind a bicycle.",
    tags: ["cargo", "bike"],
    licence: "CERN-OHL-S-2.0",
    documentationLicence: "CC-BY-SA-4.0",
    licensor: "Atelier Vélo",
  });
  const res = await uploadRelease(node, alice, "bike-trailer", [
    metadataPart({
      version: "1.2.0",
      notes: "Stronger hitch.\n\nTested to 80 kg.",
      trl: "OTRL-5",
      drl: "ODRL-3*",
      bom: [
        { part: "M8 bolt", quantity: 4, unit: "pcs", material: "steel", source: "Quincaillerie", link: "https://shop.example/m8" },
        { part: "Plywood", quantity: 0.5, unit: "m²" },
      ],
    }),
    bytesPart("photo.png", png, "image/png"),
    bytesPart("frame.step", STEP_BYTES),
    bytesPart("bom.csv", BOM_CSV, "text/csv"),
    bytesPart("assembly-guide.md", GUIDE, "text/markdown"),
  ]);
  assert.equal(res.status, 201, res.text);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await node.close();
});

describe("a release's Open Know-How exports", () => {
  test("okh.toml downloads as TOML with the design's and the release's fields", async () => {
    const res = await node.http.get("/@bike-trailer/releases/1.2.0/okh.toml");
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/toml; charset=utf-8");
    assert.match(res.headers["content-disposition"]!, /^attachment; filename="okh\.toml"/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    const manifest = JSON.parse(JSON.stringify(parse(res.text)));
    assert.equal(manifest.okhv, "OKH-LOSHv1.0");
    assert.equal(manifest.name, 'Bike trailer "Mule"');
    assert.equal(manifest.repo, "https://city-a.test/@bike-trailer");
    assert.equal(manifest.release, "https://city-a.test/@bike-trailer/releases/1.2.0");
    assert.equal(manifest.license, "CERN-OHL-S-2.0");
    assert.equal(manifest.licensor, "Atelier Vélo");
    assert.equal(manifest.organization, "Lyon commons");
    assert.equal(manifest["technology-readiness-level"], "OTRL-5");
    assert.equal(manifest["documentation-readiness-level"], "ODRL-3*");
    assert.equal(manifest.image, "photo.png");
    assert.equal(manifest.bom, "bom.csv");
    assert.equal(manifest.export, "frame.step");
    assert.equal(manifest["manufacturing-instructions"], "assembly-guide.md");
    assert.deepEqual(manifest.part[0], { name: "M8 bolt", quantity: 4, unit: "pcs", material: "steel", supplier: "Quincaillerie", link: "https://shop.example/m8" });
  });

  test("okh.jsonld is the same manifest as an okh:Module", async () => {
    const res = await node.http.get("/@bike-trailer/releases/1.2.0/okh.jsonld");
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/ld+json; charset=utf-8");
    const document = JSON.parse(res.text);
    assert.equal(document["@type"], "okh:Module");
    assert.deepEqual(document["okh:spdxLicense"], { "@id": "spdxl:CERN-OHL-S-2.0" });
    assert.equal(document["okh:hasImage"][0]["schema:sha256"], sha256(png));
    assert.deepEqual(document["okh:repoSnapshot"], { "@id": "https://city-a.test/@bike-trailer/releases/1.2.0/archive.zip" });
  });

  test("archive.zip streams every file, okh.toml and a SHA256SUMS that sha256sum -c accepts", async () => {
    const res = await node.http.get("/@bike-trailer/releases/1.2.0/archive.zip").buffer(true).parse(binary);
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/zip");
    assert.match(res.headers["content-disposition"]!, /^attachment; filename="bike-trailer-1\.2\.0\.zip"/);
    assert.equal(res.headers["content-length"], String(res.body.length), "the announced length is exact");
    const zip = readZip(res.body as Buffer);
    const byName = new Map(zip.entries.map((e) => [e.name, e.data]));
    for (const [name, bytes] of Object.entries(files())) assert.ok(byName.get(`bike-trailer-1.2.0/${name}`)?.equals(bytes), name);
    const sums = byName.get("bike-trailer-1.2.0/SHA256SUMS")!.toString();
    assert.ok(sums.includes(`${sha256(STEP_BYTES)}  frame.step\n`));
    assert.ok(byName.has("bike-trailer-1.2.0/okh.toml"));

    const path = join(dir, "release.zip");
    await writeFile(path, res.body as Buffer);
    execFileSync("unzip", ["-q", path, "-d", join(dir, "out")]);
    const check = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: join(dir, "out", "bike-trailer-1.2.0"), encoding: "utf8" });
    assert.equal(check.trim().split("\n").filter((l) => l.endsWith(": OK")).length, 4);

    const head = await node.http.head("/@bike-trailer/releases/1.2.0/archive.zip");
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], String(res.body.length), "HEAD announces the length without sending the zip");
    const again = await node.http.get("/@bike-trailer/releases/1.2.0/archive.zip").set("If-None-Match", res.headers.etag!);
    assert.equal(again.status, 304);
  });

  test("a release whose stored file went missing answers 404 before sending any of the zip", async () => {
    await createDesign(node, alice, { handle: "lost-lamp", name: "Lost lamp", licence: "MIT" });
    const lost = Buffer.from("a file that will be lost\n");
    assert.equal((await uploadRelease(node, alice, "lost-lamp", [metadataPart({ version: "1.0.0" }), bytesPart("lamp.txt", lost)])).status, 201);
    await rm(join(node.config.storageDir, "sha256", sha256(lost).slice(0, 2), sha256(lost).slice(2, 4), sha256(lost)));
    const res = await node.http.get("/@lost-lamp/releases/1.0.0/archive.zip");
    assert.equal(res.status, 404);
    assert.match(res.text, /lamp\.txt of this release is missing/);
  });

  test("an unknown version is a 404 for every export", async () => {
    for (const path of ["okh.toml", "okh.jsonld", "archive.zip"]) {
      assert.equal((await node.http.get(`/@bike-trailer/releases/9.9.9/${path}`)).status, 404, path);
    }
  });
});

describe("importing an okh.toml", () => {
  test("an exported release imports back as the same design and release", async () => {
    const toml = (await node.http.get("/@bike-trailer/releases/1.2.0/okh.toml")).text;
    const res = await importDesign(
      node,
      alice,
      [manifestPart(toml), ...Object.entries(files()).map(([name, bytes]) => bytesPart(name, bytes))],
      "?handle=bike-trailer-copy",
    );
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.handle, "bike-trailer-copy");
    assert.equal(res.body.release.zipUrl, "https://city-a.test/@bike-trailer-copy/releases/1.2.0/archive.zip");
    const [original, copy] = await Promise.all([node.services.designs.require("bike-trailer"), node.services.designs.require("bike-trailer-copy")]);
    const designFields = (d: typeof original) => [d.name, d.summaryMarkdown, d.function, d.tags, d.licence, d.documentationLicence, d.licensor];
    assert.deepEqual(designFields(copy), designFields(original));
    const [a, b] = await Promise.all([node.services.designs.release("bike-trailer", "1.2.0"), node.services.designs.release("bike-trailer-copy", "1.2.0")]);
    const releaseFields = (r: typeof a) => [r.version, r.notesMarkdown, r.trl, r.drl, r.bom, r.licence, r.documentationLicence, r.totalBytes];
    assert.deepEqual(releaseFields(b), releaseFields(a));
    const fileFields = (r: typeof a) => r.files.map((f) => [f.name, f.sha256, f.size, f.mediaType, f.role]).sort();
    assert.deepEqual(fileFields(b), fileFields(a));
    assert.equal(await node.services.designs.isMaintainer(copy, alice.actorId), true);
  });

  test("a hand-written manifest as a text field, with paths, makes a design named after it", async () => {
    const toml = 'name = "Ölpresse"\nversion = "0.1.0"\nlicense = "CERN-OHL-W-2.0"\nsource = "cad/frame.step"\n\n[[part]]\nname = "Screw"\nquantity = 8\n';
    const res = await importDesign(node, alice, [manifestPart(toml, false), bytesPart("cad/frame.step", STEP_BYTES)]);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.handle, "olpresse");
    assert.deepEqual(res.body.release.files.map((f: { name: string; role: string }) => [f.name, f.role]), [["frame.step", "source"]]);
    const release = await node.services.designs.release("olpresse", "0.1.0");
    assert.deepEqual(release.bom, [{ part: "Screw", quantity: 8, unit: "pcs", material: null, source: null, link: null }]);
  });

  const valid = 'name = "Lamp"\nversion = "1.0.0"\nlicense = "MIT"\nexport = ["lamp.step"]\n';

  async function refused(parts: Parameters<typeof importDesign>[2], query = "") {
    const designsBefore = (await node.services.designs.list(100)).length;
    const storedBefore = await filesInStorage(node);
    const res = await importDesign(node, alice, parts, query);
    assert.equal((await node.services.designs.list(100)).length, designsBefore, "no design was created");
    assert.deepEqual(await filesInStorage(node), storedBefore, "no file is left in storage");
    return res;
  }

  test("a manifest that is not TOML is a 422 naming the manifest", async () => {
    const res = await refused([manifestPart("name = 'Lamp\nversion = 1"), bytesPart("lamp.step", STEP_BYTES)]);
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.issues.map((i: { path: string }) => i.path), ["manifest"]);
    assert.match(res.body.message, /okh\.toml is not TOML \(line 1/);
  });

  test("an unknown licence is a 422 naming license", async () => {
    const res = await refused([manifestPart(valid.replace('"MIT"', '"Do-What-You-Like"')), bytesPart("lamp.step", STEP_BYTES)]);
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.issues.map((i: { path: string }) => i.path), ["license"]);
    assert.match(res.body.message, /Do-What-You-Like/);
  });

  test("a missing version is a 422 naming version", async () => {
    const res = await refused([manifestPart(valid.replace('version = "1.0.0"\n', "")), bytesPart("lamp.step", STEP_BYTES)]);
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.issues.map((i: { path: string }) => i.path), ["version"]);
  });

  test("a 300 KB manifest is a 413 naming the manifest, as a file or as a field", async () => {
    const big = `${valid}description = "${"x".repeat(300 * 1024)}"\n`;
    for (const asFile of [true, false]) {
      const res = await refused([manifestPart(big, asFile), bytesPart("lamp.step", STEP_BYTES)]);
      assert.equal(res.status, 413, res.text);
      assert.match(res.body.message, /^manifest: /);
    }
  });

  test("a file the manifest names but that was not sent is a 422 naming its key", async () => {
    const res = await refused([manifestPart(valid.replace('["lamp.step"]', '["lamp.step", "lamp.stl"]')), bytesPart("lamp.step", STEP_BYTES)]);
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.issues, [{ path: "export.1", message: 'names "lamp.stl", which was not sent: send it as a files part' }]);
  });

  test("a file the manifest does not name, or files before the manifest, are refused", async () => {
    const stranger = await refused([manifestPart(valid), bytesPart("lamp.step", STEP_BYTES), bytesPart("virus.exe", Buffer.from("MZ"))]);
    assert.equal(stranger.status, 422);
    assert.match(stranger.body.message, /^files: "virus\.exe" is not named in okh\.toml/);
    const first = await refused([bytesPart("lamp.step", STEP_BYTES), manifestPart(valid)]);
    assert.equal(first.status, 422);
    assert.match(first.body.message, /^manifest: the manifest part must come first/);
  });

  test("a taken handle is a 409 before any file is stored", async () => {
    const res = await refused([manifestPart(valid), bytesPart("lamp.step", STEP_BYTES)], "?handle=bike-trailer");
    assert.equal(res.status, 409);
  });

  test("only members import", async () => {
    const res = await importDesign(node, undefined, [manifestPart(valid), bytesPart("lamp.step", STEP_BYTES)]);
    assert.equal(res.status, 401);
  });
});
