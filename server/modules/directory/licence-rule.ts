import type { DbOrTrx } from "../../db/database.ts";
import { publishedLicences } from "../charter/charter.service.ts";
import type { CharterDocument } from "../charter/charter.schema.ts";

/**
 * The charter's `licences` rule for design listings: a design whose licence the charter does not list
 * is neither sent to peers nor taken from them (an empty list accepts any licence). Other kinds carry
 * no licence and pass. SPDX ids compare case-insensitively (SPDX spec annex D.2). Returns why the
 * listing is refused, naming the rule, or null when the charter accepts it.
 */
export function licenceRefusal(charter: Pick<CharterDocument, "licences">, listing: { readonly kind: string; readonly licence: string | null }): string | null {
  if (listing.kind !== "design" || charter.licences.length === 0) return null;
  if (listing.licence === null) return `the charter's licences rule accepts only ${charter.licences.join(", ")}, and this design names no licence`;
  const wanted = listing.licence.toLowerCase();
  if (charter.licences.some((id) => id.toLowerCase() === wanted)) return null;
  return `the charter's licences rule does not accept ${listing.licence} (it accepts ${charter.licences.join(", ")})`;
}

/**
 * The licences rule of the charter in force, read in the caller's transaction (the directory
 * publisher runs inside the change's transaction; PGlite has one connection).
 */
export async function publishedLicenceRefusal(trx: DbOrTrx, listing: { readonly kind: string; readonly licence: string | null }): Promise<string | null> {
  if (listing.kind !== "design") return null;
  return licenceRefusal({ licences: [...(await publishedLicences(trx))] }, listing);
}
