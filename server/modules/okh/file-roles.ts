import type { FileRole } from "../design-files/index.ts";

/**
 * Release file roles (design-files' FILE_ROLES) and the OKH-LOSH manifest keys that list files
 * (https://github.com/OPEN-NEXT/OKH-LOSH/blob/master/OKH-LOSH.md, "metadata fields for OSH modules").
 * A `manual` is a README, an assembly guide or a user manual; its name tells which key lists it.
 * Files of role `other` (or none) go under `auxiliary`, so a manifest names every file of its release
 * and an import finds them all again.
 */
export type OkhFileKey = "readme" | "image" | "bom" | "manufacturing-instructions" | "user-manual" | "source" | "export" | "auxiliary";

/** The keys in the order a manifest writes them (the OKH-LOSH template's order). */
export const OKH_FILE_KEYS: readonly OkhFileKey[] = ["readme", "image", "bom", "manufacturing-instructions", "user-manual", "source", "export", "auxiliary"];

const KEY_OF_ROLE: Record<FileRole, OkhFileKey> = { source: "source", export: "export", bom: "bom", manual: "user-manual", image: "image", other: "auxiliary" };

export const ROLE_OF_KEY: Record<OkhFileKey, FileRole> = {
  readme: "manual",
  image: "image",
  bom: "bom",
  "manufacturing-instructions": "manual",
  "user-manual": "manual",
  source: "source",
  export: "export",
  auxiliary: "other",
};

/** The manifest key that lists a file. */
export function okhKeyOf(file: { readonly name: string; readonly role: string | null }): OkhFileKey {
  const role = (file.role ?? "other") as FileRole;
  const key = KEY_OF_ROLE[role] ?? "auxiliary";
  if (key !== "user-manual") return key;
  if (/^readme(\.|$)/i.test(file.name)) return "readme";
  if (/assembly|instruction|build|manufactur|montage/i.test(file.name)) return "manufacturing-instructions";
  return key;
}
