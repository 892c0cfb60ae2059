/** The public collection's full IRI; compact JSON-LD abbreviates it to `as:Public`. */
const PUBLIC_IRI = "https://www.w3.org/ns/activitystreams#Public";
const PUBLIC_ABBREVIATIONS = new Set(["as:Public", "Public"]);
const AUDIENCE_KEYS = ["to", "cc", "bto", "bcc", "audience"] as const;

/**
 * The shape peers parse without a JSON-LD processor, applied before signing: the public audience
 * spelled out (Misskey and others compare the full IRI; only Mastodon also knows `as:Public`,
 * activitypub/tag_manager.rb) and `attachment` always an array (several plain-JSON parsers index
 * it). The same rewrite Fedify applies to what it sends itself, so activities we sign read the same.
 */
export function toWireFormat(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...document };
  for (const key of AUDIENCE_KEYS) {
    if (out[key] !== undefined) out[key] = spellOutPublic(out[key]);
  }
  if (out.attachment !== undefined && !Array.isArray(out.attachment)) out.attachment = [out.attachment];
  if (isRecord(out.object)) out.object = toWireFormat(out.object);
  return out;
}

function spellOutPublic(audience: unknown): unknown {
  if (typeof audience === "string") return PUBLIC_ABBREVIATIONS.has(audience) ? PUBLIC_IRI : audience;
  if (Array.isArray(audience)) return audience.map(spellOutPublic);
  return audience;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
