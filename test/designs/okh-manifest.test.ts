import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "smol-toml";
import { parseOkhToml, toOkhJsonLd, toOkhToml } from "../../server/modules/okh/index.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { assertGolden } from "../projects/golden.ts";
import { okhDesign, okhLinks, okhRelease } from "./okh-fixtures.ts";

const plain = (value: unknown): any => JSON.parse(JSON.stringify(value));

describe("toOkhToml", () => {
  const manifest = plain(parse(toOkhToml(okhDesign, okhRelease, okhLinks)));

  test("carries the OKH-LOSH fields of the design and the release", () => {
    assert.equal(manifest.okhv, "OKH-LOSHv1.0");
    assert.equal(manifest.name, 'Solar dryer "Soleil" ☀');
    assert.equal(manifest.repo, "https://lyon.example/@solar-dryer");
    assert.equal(manifest.version, "2.1.0");
    assert.equal(manifest.release, "https://lyon.example/@solar-dryer/releases/2.1.0");
    assert.equal(manifest.license, "CERN-OHL-S-2.0");
    assert.equal(manifest["documentation-license"], "CC-BY-SA-4.0");
    assert.equal(manifest.licensor, "Atelier Soleil SCIC");
    assert.equal(manifest.organization, "Lyon commons");
    assert.equal(manifest.function, okhDesign.function);
    assert.equal(manifest["technology-readiness-level"], "OTRL-5");
    assert.equal(manifest["documentation-readiness-level"], "ODRL-3");
    assert.equal(manifest["fork-of"], undefined, "an original has no fork-of");
  });

  test("lists each file under the key of its role, one as a string and several as an array", () => {
    assert.equal(manifest.readme, "README.md");
    assert.equal(manifest.bom, "BoM.csv");
    assert.equal(manifest.image, "photo.jpg");
    assert.equal(manifest.source, "frame.FCStd");
    assert.deepEqual(manifest.export, ["frame.step", "frame.stl"]);
    assert.equal(manifest["manufacturing-instructions"], "assembly.md");
    assert.equal(manifest["user-manual"], "user guide.pdf");
    assert.equal(manifest.auxiliary, "notes.txt");
  });

  test("writes the bill of materials as [[part]] tables", () => {
    assert.deepEqual(manifest.part, [
      { name: "Plywood sheet 12 mm", quantity: 2, unit: "pcs", material: "birch plywood", supplier: "Scierie Dupont", link: "https://supplier.example/plywood" },
      { name: "Polycarbonate twin-wall", quantity: 1.5, unit: "m²", material: "polycarbonate" },
    ]);
  });

  test("a fork says what it was forked from; a bare readiness level gets its prefix", () => {
    const fork = plain(parse(toOkhToml({ ...okhDesign, forkOf: "https://a.example/@x/releases/1.0" }, { ...okhRelease, trl: "4", drl: "2*", forkOf: "https://a.example/@x/releases/1.0" }, okhLinks)));
    assert.equal(fork["fork-of"], "https://a.example/@x/releases/1.0");
    assert.equal(fork["technology-readiness-level"], "OTRL-4");
    assert.equal(fork["documentation-readiness-level"], "ODRL-2*");
  });
});

describe("golden files", () => {
  // What crawlers and linked-data tools read of us: a change to these files is a reviewed change.
  test("the okh.toml of the fixture release, byte for byte", () => {
    const file = new URL("../fixtures/okh/solar-dryer-2.1.0.okh.toml", import.meta.url);
    const written = toOkhToml(okhDesign, okhRelease, okhLinks);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, written);
    assert.ok(existsSync(file), "test/fixtures/okh/solar-dryer-2.1.0.okh.toml is missing (run with UPDATE_GOLDEN=1 to create it)");
    assert.equal(written, readFileSync(file, "utf8"));
  });

  test("the okh:Module JSON-LD of the fixture release", () => {
    assertGolden("okh-module", toOkhJsonLd(okhDesign, okhRelease, okhLinks));
  });
});

describe("toOkhJsonLd", () => {
  const document = toOkhJsonLd(okhDesign, okhRelease, okhLinks) as any;

  test("is an okh:Module with the OKH ontology, an SPDX licence IRI and OTRL levels", () => {
    assert.equal(document["@context"].okh, "https://w3id.org/oseg/ont/okh#");
    assert.equal(document["@context"].spdxl, "http://spdx.org/licenses/");
    assert.equal(document["@type"], "okh:Module");
    assert.equal(document["@id"], "https://lyon.example/@solar-dryer/releases/2.1.0#okh");
    assert.deepEqual(document["okh:spdxLicense"], { "@id": "spdxl:CERN-OHL-S-2.0" });
    assert.deepEqual(document["okh:technologyReadinessLevel"], { "@id": "otrl:OTRL-5" });
    assert.deepEqual(document["okh:repo"], { "@id": "https://lyon.example/@solar-dryer" });
    assert.equal(document["okh:version"], "2.1.0");
    assert.deepEqual(document["okh:repoSnapshot"], { "@id": "https://lyon.example/@solar-dryer/releases/2.1.0/archive.zip" });
  });

  test("links files by their OKH class, with size and SHA-256, and parts as components", () => {
    assert.deepEqual(document["okh:hasExport"].map((f: any) => [f["@type"], f["schema:name"], f["schema:contentSize"]]), [
      ["okh:ExportFile", "frame.step", 9000],
      ["okh:ExportFile", "frame.stl", 7000],
    ]);
    assert.equal(document["okh:hasBoM"][0]["schema:sha256"], "e5".repeat(32));
    assert.equal(document["okh:hasSource"][0]["@id"], "https://lyon.example/@solar-dryer/releases/2.1.0/files/frame.FCStd");
    assert.equal(document["okh:hasComponent"].length, 2);
    assert.equal(document["okh:hasComponent"][0]["okh:name"], "Plywood sheet 12 mm");
    assert.equal(document["okh:hasComponent"][0]["cn:quantity"], 2);
  });
});

describe("parseOkhToml", () => {
  test("an exported manifest reads back as the same design and release fields and names every file", () => {
    const read = parseOkhToml(toOkhToml(okhDesign, okhRelease, okhLinks));
    assert.deepEqual(read.design, {
      handle: "solar-dryer-soleil",
      name: okhDesign.name,
      summary: okhDesign.summaryMarkdown,
      function: okhDesign.function,
      tags: ["solar", "food"],
      licence: "CERN-OHL-S-2.0",
      documentationLicence: "CC-BY-SA-4.0",
      licensor: "Atelier Soleil SCIC",
      project: null,
      listed: true,
    });
    assert.deepEqual(read.release, { version: "2.1.0", notes: okhRelease.notesMarkdown, trl: "OTRL-5", drl: "ODRL-3", bom: okhRelease.bom });
    const roles = new Map(read.files.map((f) => [f.name, f.role]));
    assert.deepEqual(
      [...roles].sort(),
      okhRelease.files.map((f) => [f.name, f.role ?? "other"]).sort(),
    );
  });

  test("reads a hand-written OKH-LOSH manifest: keywords, a [[bom]] table, part files, absolute paths and URLs", () => {
    const read = parseOkhToml(`
okhv = "2.0"
name = "Ölpresse Mk II"
repo = "https://gitlab.example/oelpresse"
version = "1.0.0-rc.1"
license = "cern-ohl-w-2.0"
keywords = ["oil press", "Food", "food"]
technology-readiness-level = "OTRL-4"
bom = [{ name = "Screw M8", quantity = 12 }]
manufacturing-instructions = "/guides/assembly.md"
image = [{ location = "img/press.jpg" }]
cpc-patent-class = "B30B 9/02"
user-manual = "https://wiki.example/manual"

[[part]]
name = "Press frame"
source = "cad/frame.scad"
export = ["cad/frame.stl", "cad/frame.pdf"]
material = "steel"
`);
    assert.equal(read.design.handle, "olpresse-mk-ii");
    assert.equal(read.design.licence, "CERN-OHL-W-2.0", "the SPDX id in its canonical spelling");
    assert.deepEqual(read.design.tags, ["oilpress", "food"]);
    assert.equal(read.release.version, "1.0.0-rc.1");
    assert.deepEqual(read.release.bom, [
      { part: "Press frame", quantity: 1, unit: "pcs", material: "steel", source: null, link: null },
      { part: "Screw M8", quantity: 12, unit: "pcs", material: null, source: null, link: null },
    ]);
    assert.deepEqual(read.files.map((f) => [f.name, f.reference, f.role, f.key]), [
      ["press.jpg", "img/press.jpg", "image", "image.0"],
      ["assembly.md", "guides/assembly.md", "manual", "manufacturing-instructions.0"],
      ["frame.scad", "cad/frame.scad", "source", "part.0.source"],
      ["frame.stl", "cad/frame.stl", "export", "part.0.export"],
      ["frame.pdf", "cad/frame.pdf", "export", "part.0.export"],
    ]);
    assert.deepEqual(read.externalReferences, ["https://wiki.example/manual"]);
  });

  const fails = (text: string) => {
    try {
      parseOkhToml(text);
    } catch (error) {
      assert.ok(error instanceof DomainError);
      return error;
    }
    assert.fail("expected a DomainError");
  };

  test("errors name the TOML key that is wrong", () => {
    const notToml = fails('name = "x"\nversion = ');
    assert.equal(notToml.kind, "invalid_input");
    assert.match(notToml.message, /manifest: okh\.toml is not TOML \(line 2/);

    const licence = fails('name = "x"\nversion = "1.0"\nlicense = "Free-For-All"');
    assert.equal(licence.kind, "invalid_input");
    assert.deepEqual(licence.issues?.map((i) => i.path), ["license"]);
    assert.match(licence.message, /license: “Free-For-All” is not an SPDX licence identifier/);

    assert.match(fails('name = "x"\nversion = "1.0"\nlicense = "MIT OR Apache-2.0"').message, /license: “MIT OR Apache-2\.0” is not an SPDX licence identifier/);
    assert.deepEqual(fails('name = "x"\nversion = "1.0"\nlicense = "MIT"\n[[bom]]\nname = "a"\nlink = "ftp://x"').issues?.map((i) => i.path), ["bom.0.link"]);
    assert.deepEqual(fails('name = "admin"\nversion = "1.0"\nlicense = "MIT"').issues?.map((i) => i.path), ["name"], "a reserved handle made from the name");
    assert.deepEqual(fails('version = "1.0"\nlicense = "MIT"').issues?.map((i) => i.path), ["name"]);
    assert.deepEqual(fails('name = "x"\nversion = "1 0"\nlicense = "MIT"\nkeywords = 3').issues?.map((i) => i.path), ["keywords"]);
    assert.deepEqual(fails('name = "x"\nlicense = "MIT"').issues?.map((i) => i.path), ["version"]);
    assert.deepEqual(fails('name = "x"\nversion = "1"\nlicense = "MIT"\n[[part]]\nname = "a"\nquantity = -1').issues?.map((i) => i.path), ["part.0.quantity"]);
    assert.deepEqual(fails('name = "x"\nversion = "1"\nlicense = "MIT"\ntechnology-readiness-level = "OTRL-12"').issues?.map((i) => i.path), ["technology-readiness-level"]);
    const clash = fails('name = "x"\nversion = "1"\nlicense = "MIT"\nsource = "a/frame.stl"\nexport = ["b/frame.stl"]');
    assert.deepEqual(clash.issues?.map((i) => i.path), ["export.0"]);
    assert.match(clash.message, /export\.0: names “b\/frame\.stl” and, at source\.0, “a\/frame\.stl”/);
  });

  test("a manifest over 256 KB is refused before it is parsed", () => {
    const big = `name = "x"\nversion = "1"\nlicense = "MIT"\ndescription = "${"a".repeat(300 * 1024)}"\n`;
    const error = fails(big);
    assert.equal(error.kind, "too_large");
    assert.match(error.message, /manifest: okh\.toml must be at most 256 KB/);
  });
});
