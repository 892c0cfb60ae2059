import type { z } from "zod";
import { type RemoteDesign, RemoteDesignSchema, type RemoteRelease, RemoteReleaseSchema } from "../../server/modules/design-forks/index.ts";
import { htmlToText } from "../../server/platform/text/sanitize-html.ts";

/**
 * Reading another node's design and release documents (JSON-LD as served, compacted) into drafts.
 * Terms are looked up as a compacted document may spell them: the bare term under an inline context,
 * the prefixed term (`okh:version`, `spdx:license`, `cn:sha256`), or the full IRI. The vocabularies
 * are ForgeFed (Release), OKH-LOSH (https://w3id.org/oseg/ont/okh#) and SPDX
 * (http://spdx.org/rdf/terms#), with our own `cn:` terms for what they lack (hashes, fork chain).
 */

const NAMESPACES: Record<string, string> = {
  okh: "https://w3id.org/oseg/ont/okh#",
  spdx: "http://spdx.org/rdf/terms#",
  cn: "https://w3id.org/commonsnet/ns#",
  forge: "https://forgefed.org/ns#",
};

type Json = Record<string, unknown>;

/** The first value found under any spelling of any of `terms` (`okh:version` also as `version` and the IRI). */
function term(doc: Json, ...terms: string[]): unknown {
  for (const t of terms) {
    const [prefix, local] = t.includes(":") ? (t.split(":", 2) as [string, string]) : [null, t];
    const spellings = prefix === null ? [t] : [t, local, `${NAMESPACES[prefix] ?? ""}${local}`];
    for (const spelling of spellings) {
      const value = doc[spelling];
      if (value !== undefined && value !== null) return value;
    }
  }
  return undefined;
}

const asString = (value: unknown): string | null => (typeof value === "string" ? value : null);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const asObject = (value: unknown): Json | null => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : null);
/** An IRI given as a string or as an object with an id (or a Link's href). */
const iriOf = (value: unknown): string | null => asString(value) ?? asString(asObject(value)?.id) ?? asString(asObject(value)?.href);

function types(doc: Json): string[] {
  return asArray(doc.type).filter((t): t is string => typeof t === "string");
}

/** The SPDX id of a licence, as `spdx:license: { spdx:licenseId }` (as Manyfold sends it) or a plain id. */
function licenceOf(doc: Json): string | null {
  const value = term(doc, "spdx:license", "cn:licence", "cn:license");
  const object = asObject(value);
  return object === null ? asString(value) : asString(term(object, "spdx:licenseId"));
}

function plainText(doc: Json, htmlTerm: string): string {
  const source = asObject(doc.source);
  if (source !== null && asString(source.mediaType) === "text/markdown" && typeof source.content === "string") return source.content;
  const html = asString(doc[htmlTerm]);
  return html === null ? "" : htmlToText(html);
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function validated<T>(schema: z.ZodType<T>, draft: unknown, what: string): Parsed<T> {
  const result = schema.safeParse(draft);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, reason: `${what}: ${issue.path.length > 0 ? `${issue.path.join(".")} ` : ""}${issue.message}` };
}

/** A release document: a ForgeFed `Release` with its version, licence, design (`context`) and files. */
export function fromReleaseDocument(doc: Json): Parsed<RemoteRelease> {
  const kinds = types(doc);
  if (!kinds.some((t) => t === "Release" || t === "forge:Release" || t === `${NAMESPACES.forge}Release`)) {
    return { ok: false, reason: `it is ${kinds.length === 0 ? "an object without a type" : `a ${kinds.join("/")}`}, not a design release (type Release)` };
  }
  const name = asString(doc.name);
  const files = [];
  for (const item of asArray(doc.attachment)) {
    const attachment = asObject(item);
    if (attachment === null) continue;
    const sha256 = asString(term(attachment, "cn:sha256"));
    const href = iriOf(attachment.href) ?? iriOf(attachment.url);
    // Links without a declared hash are views of the release (its manifest, its zip), not its files.
    if (sha256 === null || href === null) continue;
    const size = term(attachment, "cn:size", "size");
    files.push({
      name: asString(attachment.name) ?? "",
      href,
      sha256,
      size: typeof size === "number" ? size : typeof size === "string" && /^\d+$/.test(size) ? Number(size) : null,
      mediaType: asString(attachment.mediaType) ?? "application/octet-stream",
      role: asString(term(attachment, "cn:role")),
    });
  }
  const draft = {
    iri: asString(doc.id),
    version: asString(term(doc, "okh:version", "cn:version")) ?? name?.replace(/^v(?=\d)/, "") ?? null,
    designIri: iriOf(term(doc, "context", "cn:design")),
    licence: licenceOf(doc),
    documentationLicence: asString(term(doc, "cn:documentationLicense", "cn:documentationLicence")),
    notesMarkdown: plainText(doc, "content"),
    trl: asString(term(doc, "okh:technologyReadinessLevel", "cn:trl")),
    drl: asString(term(doc, "okh:documentationReadinessLevel", "cn:drl")),
    bom: bomOf(term(doc, "cn:bom", "cn:billOfMaterials")),
    files,
  };
  return validated(RemoteReleaseSchema, draft, "the release");
}

function bomOf(value: unknown): unknown[] {
  return asArray(value).flatMap((item) => {
    const line = asObject(item);
    if (line === null) return [];
    const text = (key: string) => asString(line[key]);
    const quantity = typeof line.quantity === "number" ? line.quantity : Number(line.quantity);
    return [{ part: text("part") ?? "", quantity: Number.isFinite(quantity) ? quantity : 0, unit: text("unit") ?? "", material: text("material"), source: text("source"), link: text("link") }];
  });
}

/** A design document: a `Service` actor with `cn:concreteType` DesignRepository. */
export function fromDesignDocument(doc: Json): Parsed<RemoteDesign> {
  const concrete = asString(term(doc, "cn:concreteType"));
  if (!types(doc).includes("Service") || concrete !== "DesignRepository") {
    return { ok: false, reason: "its design is not a design repository (a Service with cn:concreteType DesignRepository)" };
  }
  const endpoints = asObject(doc.endpoints);
  const tags = asArray(doc.tag).flatMap((t) => {
    const tag = asObject(t);
    // Fedify compacts the type as `as:Hashtag` (the ActivityStreams context leaves it undefined); Mastodon writes `Hashtag`.
    const type = tag === null ? null : asString(tag.type);
    const name = type === "Hashtag" || type === "as:Hashtag" ? asString(tag!.name) : null;
    return name === null ? [] : [name.replace(/^#/, "")];
  });
  const draft = {
    iri: asString(doc.id),
    handle: asString(doc.preferredUsername),
    name: asString(doc.name) ?? asString(doc.preferredUsername) ?? "",
    summaryMarkdown: plainText(doc, "summary"),
    function: asString(term(doc, "okh:function")) ?? "",
    tags,
    licence: licenceOf(doc),
    licensor: asString(term(doc, "okh:licensor")) ?? "",
    url: iriOf(asArray(doc.url)[0]),
    inbox: iriOf(doc.inbox),
    sharedInbox: iriOf(endpoints?.sharedInbox),
    forkOf: iriOf(term(doc, "okh:forkOf")),
    currentRelease: iriOf(term(doc, "cn:currentRelease")),
    forkChain: asArray(term(doc, "cn:forkChain")),
  };
  return validated(RemoteDesignSchema, draft, "the design");
}
