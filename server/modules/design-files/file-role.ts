import { extname } from "node:path";
import { z } from "zod";

/**
 * The roles of a file in an Open Know-How (OKH-LOSH) manifest: native sources, exports others can open,
 * the bill of materials, the manual, images, anything else. The manifest lists files under these keys.
 */
export const FILE_ROLES = ["source", "export", "bom", "manual", "image", "other"] as const;
export type FileRole = (typeof FILE_ROLES)[number];
export const FileRoleSchema = z.enum(FILE_ROLES, { error: `must be one of ${FILE_ROLES.join(", ")}` });

/** Native formats of CAD and EDA tools: the editable source of a design. */
const NATIVE = new Set([".fcstd", ".scad", ".f3d", ".kicad_pcb", ".kicad_sch", ".kicad_pro", ".dxf", ".dwg", ".sldprt", ".sldasm", ".ipt", ".iam", ".3dm", ".skp", ".brd", ".sch"]);
/** Interchange and fabrication formats: what someone without the original tool builds from. */
const EXPORT = new Set([".step", ".stp", ".stl", ".3mf", ".obj", ".iges", ".igs", ".gbr", ".gcode", ".svg"]);

/** The role a file most likely has, from its name and type, when the uploader did not say. */
export function guessRole(name: string, mediaType: string): FileRole {
  const ext = extname(name).toLowerCase();
  const base = name.toLowerCase();
  if ((ext === ".csv" || ext === ".tsv" || ext === ".ods" || ext === ".xlsx") && /\bbom\b|bill[\s_-]*of[\s_-]*materials/.test(base.replace(/[_.-]/g, " "))) return "bom";
  if (NATIVE.has(ext)) return "source";
  if ((ext === ".md" || ext === ".pdf" || ext === ".txt") && /assembly|manual|readme|instructions|guide/.test(base)) return "manual";
  if (EXPORT.has(ext) || ext === ".pdf") return "export";
  if (mediaType.startsWith("image/")) return "image";
  return "other";
}
