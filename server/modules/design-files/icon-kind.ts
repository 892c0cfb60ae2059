import { extname } from "node:path";

/** What icon the pages show for a file without a preview. */
export type IconKind = "image" | "cad" | "document" | "spreadsheet" | "archive" | "text" | "code" | "other";

const CAD = new Set([".step", ".stp", ".stl", ".3mf", ".obj", ".iges", ".igs", ".dxf", ".dwg", ".scad", ".fcstd", ".f3d", ".kicad_pcb", ".kicad_sch", ".kicad_pro", ".gbr", ".brd", ".sch", ".sldprt", ".sldasm", ".ipt", ".iam", ".3dm", ".skp", ".gcode"]);
const DOCUMENT = new Set([".pdf", ".odt", ".doc", ".docx", ".rtf", ".odg", ".epub"]);
const SPREADSHEET = new Set([".csv", ".tsv", ".ods", ".xls", ".xlsx"]);
const ARCHIVE = new Set([".zip", ".gz", ".tgz", ".tar", ".7z", ".xz", ".bz2", ".rar"]);
const TEXT = new Set([".md", ".txt", ".rst", ".adoc", ".toml", ".yaml", ".yml", ".json", ".xml"]);
const CODE = new Set([".ino", ".py", ".c", ".h", ".cpp", ".hpp", ".rs", ".js", ".ts", ".go", ".java", ".sh", ".lua", ".v", ".vhd"]);

export function iconKind(mediaType: string, name: string): IconKind {
  const ext = extname(name).toLowerCase();
  if (mediaType.startsWith("image/") && !CAD.has(ext)) return "image";
  if (CAD.has(ext) || mediaType.startsWith("model/")) return "cad";
  if (DOCUMENT.has(ext)) return "document";
  if (SPREADSHEET.has(ext)) return "spreadsheet";
  if (ARCHIVE.has(ext)) return "archive";
  if (CODE.has(ext)) return "code";
  if (TEXT.has(ext) || mediaType.startsWith("text/")) return "text";
  return "other";
}
