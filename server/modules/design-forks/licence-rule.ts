import type { CharterVersion } from "../charter/index.ts";

/**
 * The charter's `licences` rule: the licences of designs this node forks, receives or lists. An empty
 * list accepts any licence. SPDX identifiers compare case-insensitively (SPDX spec, annex D.2).
 * Returns the refusal, naming the rule, or null when the licence is accepted.
 */
export function charterLicenceRefusal(charter: CharterVersion, licence: string): string | null {
  const accepted = charter.document.licences;
  if (accepted.length === 0 || accepted.some((id) => id.toLowerCase() === licence.toLowerCase())) return null;
  return `charter rule licences: this node's charter (version ${charter.version}) does not accept ${licence} (it accepts ${accepted.join(", ")})`;
}

/**
 * A share-alike (copyleft) licence binds a fork to the same licence (the CERN-OHL-S 2.0 licence's
 * section 4, CC BY-SA 4.0's section 3(b), the GPL family; docs/designs.md). Returns the refusal when a
 * fork asks for another licence, else null.
 */
export function shareAlikeRefusal(sourceLicence: string, forkLicence: string, isShareAlike: (licence: string) => boolean): string | null {
  if (sourceLicence.toLowerCase() === forkLicence.toLowerCase() || !isShareAlike(sourceLicence)) return null;
  return `licence: ${sourceLicence} is share-alike, so a fork keeps ${sourceLicence} (not ${forkLicence})`;
}
