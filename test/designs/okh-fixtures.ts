import type { OkhDesign, OkhLinks, OkhRelease } from "../../server/modules/okh/index.ts";

const base = "https://lyon.example/@solar-dryer";

/** A design and a release with a BOM and files of every role, as the designs module's views carry them. */
export const okhDesign: OkhDesign = {
  handle: "solar-dryer",
  name: "Solar dryer \"Soleil\" ☀",
  summaryMarkdown: "Passive solar food dryer.\n\nPlywood and **polycarbonate**, about 1 m².",
  function: "Dries fruit and vegetables with sunlight; no electricity needed.",
  tags: ["solar", "food"],
  licensor: "Atelier Soleil SCIC",
  forkOf: null,
};

const file = (name: string, role: string | null, mediaType: string, size: number, hex: string) => ({
  name,
  size,
  mediaType,
  role,
  sha256: hex.repeat(64 / hex.length),
  url: `${base}/releases/2.1.0/files/${encodeURIComponent(name)}`,
});

export const okhRelease: OkhRelease = {
  version: "2.1.0",
  notesMarkdown: "Frame joints redesigned for 12 mm plywood.\nBOM cost down 18%.",
  trl: "OTRL-5",
  drl: "ODRL-3",
  bom: [
    { part: "Plywood sheet 12 mm", quantity: 2, unit: "pcs", material: "birch plywood", source: "Scierie Dupont", link: "https://supplier.example/plywood" },
    { part: "Polycarbonate twin-wall", quantity: 1.5, unit: "m²", material: "polycarbonate", source: null, link: null },
  ],
  licence: "CERN-OHL-S-2.0",
  documentationLicence: "CC-BY-SA-4.0",
  forkOf: null,
  publishedAt: new Date("2026-09-01T10:00:00Z"),
  files: [
    file("README.md", "manual", "text/markdown", 120, "a1"),
    file("frame.FCStd", "source", "application/octet-stream", 4000, "b2"),
    file("frame.step", "export", "model/step", 9000, "c3"),
    file("frame.stl", "export", "model/stl", 7000, "d4"),
    file("BoM.csv", "bom", "text/csv", 300, "e5"),
    file("assembly.md", "manual", "text/markdown", 2000, "f6"),
    file("photo.jpg", "image", "image/jpeg", 50000, "07"),
    file("user guide.pdf", "manual", "application/pdf", 80000, "18"),
    file("notes.txt", null, "text/plain", 10, "29"),
  ],
  iri: `${base}/releases/2.1.0`,
};

export const okhLinks: OkhLinks = {
  repo: base,
  release: `${base}/releases/2.1.0`,
  archive: `${base}/releases/2.1.0/archive.zip`,
  design: base,
  organization: "Lyon commons",
};
