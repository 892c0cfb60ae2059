import { z } from "zod";

export const VERSION_MAX = 64;

/**
 * A release version as it appears in URLs (`/@design/releases/1.2.0`): letters, digits and `. + _ ~ -`,
 * starting with a letter or digit. That refuses `/`, spaces, NUL, `%`, `?` and `#`, so a version is one
 * path segment that never needs escaping and can never climb out of its release's folder.
 */
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.+_~-]*$/;

export const VersionSchema = z
  .string({ error: "must be a version such as 1.0.0" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(VERSION_MAX, { error: `must be at most ${VERSION_MAX} characters` })
  .regex(VERSION_PATTERN, { error: "may contain only letters, digits and . + _ ~ - (no spaces or /), starting with a letter or digit" })
  // `/@handle/releases/new` is the new-release form: a release named so could never be reached.
  .refine((v) => v.toLowerCase() !== "new", { error: "“new” is reserved (the new-release form's address); use a version such as 1.0.0" });

// The order key compares byte by byte (COLLATE "C" in SQL, `<` on strings in JS). Its characters are
// chosen so that the terminators sort below the separator: '!' (pre-release follows) < '#' (end of a
// release) < '.' (another part follows) < '0'-'9' (numeric part) < '1'… Numeric parts are written as
// "0" + two-digit length + digits, so 10 sorts after 9; text parts as "1" + text, so numbers sort
// before words, as SemVer orders pre-release identifiers (https://semver.org/#spec-item-11).
const PRE_RELEASE = "!";
const RELEASE = "#";

function partKey(part: string): string {
  if (/^\d+$/.test(part)) {
    const digits = part.replace(/^0+(?=\d)/, "");
    return `0${String(Math.min(digits.length, 99)).padStart(2, "0")}${digits}`;
  }
  return `1${part}`;
}

const partsKey = (text: string): string => text.split(".").map(partKey).join(".");

/**
 * A key that sorts versions SemVer-like: 1.10.0 > 1.9.0 > 1.9.0-rc.2 > 1.9.0-rc.1 > 1.9; a leading
 * "v" is ignored (v1.2 = 1.2) and build metadata after "+" is ignored for order, as SemVer says.
 * Compare keys as plain strings (code units), never with a locale collation.
 */
export function versionOrder(version: string): string {
  const withoutBuild = version.split("+")[0]!;
  const bare = /^[vV]\d/.test(withoutBuild) ? withoutBuild.slice(1) : withoutBuild;
  const dash = bare.indexOf("-");
  if (dash < 0) return partsKey(bare) + RELEASE;
  return partsKey(bare.slice(0, dash)) + PRE_RELEASE + partsKey(bare.slice(dash + 1));
}

/** Newest first, by `versionOrder`. */
export function compareVersionsDescending(a: string, b: string): number {
  const ka = versionOrder(a);
  const kb = versionOrder(b);
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}
