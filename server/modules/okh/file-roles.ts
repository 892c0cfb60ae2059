/**
 * Release file roles and the OKH-LOSH manifest keys that list files of each role
 * (https://github.com/OPEN-NEXT/OKH-LOSH/blob/master/OKH-LOSH.md, "metadata fields for OSH modules").
 * Files of no role, or of a role OKH has no key for, are listed under `auxiliary`, so a manifest
 * names every file of its release and an import finds them all again.
 */
export const OKH_FILE_KEYS = {
  readme: "readme",
  bom: "bom",
  image: "image",
  source: "source",
  export: "export",
  "manufacturing-instructions": "manufacturing-instructions",
  manual: "user-manual",
  other: "auxiliary",
} as const;

export type OkhFileRole = keyof typeof OKH_FILE_KEYS;
export type OkhFileKey = (typeof OKH_FILE_KEYS)[OkhFileRole];

/** Other spellings of a role that a release may carry, read as the role OKH names. */
const ROLE_ALIASES: Record<string, OkhFileRole> = {
  "user-manual": "manual",
  instructions: "manufacturing-instructions",
  manufacturing: "manufacturing-instructions",
  auxiliary: "other",
};

export function okhRoleOf(role: string | null): OkhFileRole {
  if (role === null) return "other";
  if (role in OKH_FILE_KEYS) return role as OkhFileRole;
  return ROLE_ALIASES[role] ?? "other";
}

/** The role a manifest key gives the files it lists (the inverse of OKH_FILE_KEYS). */
export const ROLE_OF_KEY: ReadonlyMap<OkhFileKey, OkhFileRole> = new Map(
  (Object.entries(OKH_FILE_KEYS) as [OkhFileRole, OkhFileKey][]).map(([role, key]) => [key, role]),
);
