/** The keys an inbound request claims to be signed with, before any of them is verified. */
export interface ClaimedKeys {
  /** The HTTP signature's key (draft-cavage `keyId` or RFC 9421 `keyid`). */
  readonly http: string | null;
  /** The Linked Data Signature's `creator`, if the body carries one. */
  readonly ldCreator: string | null;
  /** Every key besides the HTTP one: LD creator, proof methods, extra RFC 9421 signatures. */
  readonly others: readonly string[];
}

const CAVAGE_KEY_ID = /(?:^|[\s,])keyId\s*=\s*"([^"]*)"/gi;
const RFC9421_KEY_ID = /;\s*keyid\s*=\s*"([^"]*)"/gi;

function allMatches(pattern: RegExp, value: string | null): string[] {
  if (value === null) return [];
  return [...value.matchAll(pattern)].map((m) => m[1]!).filter((v) => v.length > 0);
}

function stringsOf(value: unknown, field: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items
    .map((item) => (item !== null && typeof item === "object" ? (item as Record<string, unknown>)[field] : undefined))
    .map((v) => (typeof v === "string" ? v : v !== null && typeof v === "object" ? (v as { id?: unknown }).id : undefined))
    .filter((v): v is string => typeof v === "string");
}

/** Reads the key ids from the Signature / Signature-Input / Authorization headers and the JSON body. */
export function claimedKeys(headers: Headers, json: unknown): ClaimedKeys {
  const authorization = headers.get("authorization");
  const cavage = [
    ...allMatches(CAVAGE_KEY_ID, headers.get("signature")),
    ...(authorization?.toLowerCase().startsWith("signature ") ? allMatches(CAVAGE_KEY_ID, authorization) : []),
  ];
  const rfc9421 = allMatches(RFC9421_KEY_ID, headers.get("signature-input"));
  const httpKeys = [...new Set([...rfc9421, ...cavage])];
  const body = json !== null && typeof json === "object" ? (json as Record<string, unknown>) : {};
  const ldCreator = stringsOf(body.signature, "creator")[0] ?? null;
  const proofMethods = stringsOf(body.proof, "verificationMethod");
  const others = [...new Set([...httpKeys.slice(1), ...(ldCreator === null ? [] : [ldCreator]), ...proofMethods])];
  return { http: httpKeys[0] ?? null, ldCreator, others };
}

/** The activity's (first) actor IRI, given as a string or an object with an id; null unless an http(s) URL. */
export function firstActorIri(json: unknown): string | null {
  if (json === null || typeof json !== "object") return null;
  const actor = (json as { actor?: unknown }).actor;
  const first = Array.isArray(actor) ? actor[0] : actor;
  const iri = typeof first === "string" ? first : first !== null && typeof first === "object" ? (first as { id?: unknown }).id : undefined;
  if (typeof iri !== "string" || !URL.canParse(iri)) return null;
  const url = new URL(iri);
  return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
}

/** The IRI without its fragment, normalised as a URL (so it compares with `firstActorIri`'s). */
export function withoutFragment(iri: string): string {
  if (!URL.canParse(iri)) return iri;
  const url = new URL(iri);
  url.hash = "";
  return url.href;
}
