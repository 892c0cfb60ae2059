import { open } from "node:fs/promises";
import { extname } from "node:path";

/** Raster formats a browser shows safely: served inline, previewed through sharp. */
export const RASTER_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"]);
export const SVG_TYPE = "image/svg+xml";
export const FALLBACK_TYPE = "application/octet-stream";

/**
 * Types by extension for what cannot be told from its bytes (CAD, documents, text). Only types that are
 * harmless when a browser is told them: everything is served with nosniff and, but for raster images, as an
 * attachment. HTML, JavaScript and the like are left out and travel as application/octet-stream.
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  ".pdf": "application/pdf",
  ".step": "model/step",
  ".stp": "model/step",
  ".stl": "model/stl",
  ".3mf": "model/3mf",
  ".obj": "model/obj",
  ".iges": "model/iges",
  ".igs": "model/iges",
  ".dxf": "image/vnd.dxf",
  ".dwg": "image/vnd.dwg",
  ".scad": "text/plain",
  ".fcstd": "application/vnd.freecad",
  ".f3d": "application/vnd.autodesk.fusion360",
  ".kicad_pcb": "text/plain",
  ".kicad_sch": "text/plain",
  ".kicad_pro": "application/json",
  ".gbr": "application/vnd.gerber",
  ".gcode": "text/x.gcode",
  ".csv": "text/csv",
  ".tsv": "text/tab-separated-values",
  ".md": "text/markdown",
  ".txt": "text/plain",
  ".toml": "application/toml",
  ".json": "application/json",
  ".yaml": "application/yaml",
  ".yml": "application/yaml",
  ".xml": "application/xml",
  ".zip": "application/zip",
  ".gz": "application/gzip",
  ".tar": "application/x-tar",
  ".7z": "application/x-7z-compressed",
  ".odt": "application/vnd.oasis.opendocument.text",
  ".ods": "application/vnd.oasis.opendocument.spreadsheet",
  ".odg": "application/vnd.oasis.opendocument.graphics",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".ino": "text/plain",
  ".py": "text/plain",
  ".c": "text/plain",
  ".h": "text/plain",
  ".cpp": "text/plain",
};

/** The first bytes of a file, enough for every signature below and for an SVG's opening tag. */
export async function readHead(path: string, bytes = 4096): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A raster type from magic bytes (the WHATWG MIME Sniffing standard's image signatures, plus AVIF's ftyp brand). */
export function rasterTypeOf(head: Uint8Array): string | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  const ascii = b.subarray(0, 12).toString("latin1");
  if (ascii.startsWith("GIF87a") || ascii.startsWith("GIF89a")) return "image/gif";
  if (ascii.startsWith("RIFF") && ascii.slice(8, 12) === "WEBP") return "image/webp";
  if (ascii.slice(4, 8) === "ftyp" && (ascii.slice(8, 12) === "avif" || ascii.slice(8, 12) === "avis")) return "image/avif";
  return undefined;
}

/** Whether the text starts like an SVG document: optional BOM, XML prolog, comments and doctype, then `<svg`. */
export function looksLikeSvg(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("utf8").replace(/^\uFEFF/, "");
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(text);
}

/** The type of a file whose bytes are neither a raster image nor SVG: by its extension, else octet-stream. */
export function typeByExtension(name: string): string {
  const ext = extname(name).toLowerCase();
  if (ext === ".svg") return SVG_TYPE;
  return BY_EXTENSION[ext] ?? FALLBACK_TYPE;
}
