import { html } from "hono/html";

/** What a file is, for a visitor choosing what to open: the icon shown where no preview exists. */
export type FileIconKind = "image" | "cad" | "model" | "document" | "spreadsheet" | "archive" | "code" | "text" | "other";

const BY_EXTENSION: Readonly<Record<string, FileIconKind>> = {
  step: "cad", stp: "cad", iges: "cad", igs: "cad", fcstd: "cad", scad: "cad", dxf: "cad", dwg: "cad", f3d: "cad", sldprt: "cad", sldasm: "cad", kicad_pcb: "cad", kicad_sch: "cad",
  stl: "model", obj: "model", "3mf": "model", gltf: "model", glb: "model", ply: "model",
  pdf: "document", odt: "document", docx: "document", doc: "document", epub: "document",
  csv: "spreadsheet", ods: "spreadsheet", xlsx: "spreadsheet", xls: "spreadsheet",
  zip: "archive", gz: "archive", tgz: "archive", "7z": "archive", tar: "archive", xz: "archive",
  gcode: "code", nc: "code", py: "code", js: "code", ino: "code", c: "code", h: "code", json: "code", toml: "code", yaml: "code", yml: "code",
  txt: "text", md: "text", svg: "text",
};

const LABELS: Readonly<Record<FileIconKind, string>> = {
  image: "Image", cad: "CAD", model: "3D", document: "Doc", spreadsheet: "Sheet", archive: "Zip", code: "Code", text: "Text", other: "File",
};

/** The icon kind from the media type first, then the name's extension (CAD types have no registered media type). */
export function fileIconKind(mediaType: string, name: string): FileIconKind {
  const type = mediaType.toLowerCase();
  // SVG is served as a download, never inline: shown as text, not as an image.
  if (type.startsWith("image/") && type !== "image/svg+xml") return "image";
  if (type === "application/pdf") return "document";
  if (type === "application/zip") return "archive";
  if (type.startsWith("model/")) return "model";
  const extension = /\.([A-Za-z0-9_]+)$/.exec(name)?.[1]?.toLowerCase();
  return (extension && BY_EXTENSION[extension]) || (type.startsWith("text/") ? "text" : "other");
}

/** A small labelled box standing for the file's kind; decorative, as the file's name says the rest. */
export function FileIcon(props: { kind: FileIconKind }) {
  return html`<span class="file-icon file-icon-${props.kind}" data-kind="${props.kind}" aria-hidden="true">${LABELS[props.kind]}</span>`;
}
