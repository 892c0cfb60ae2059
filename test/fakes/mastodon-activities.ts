import { readFileSync } from "node:fs";
import { createHash, createSign, type KeyObject } from "node:crypto";
import { preloadedContexts } from "@fedify/fedify";
import jsonld from "jsonld";

/**
 * The activities Mastodon sends, from the templates in test/fixtures/mastodon/ (fixtures F3–F10,
 * listed in its README). `{{NAME}}` inside a string is replaced by a string; a string that is
 * exactly `{{NAME}}` may be replaced by any JSON value.
 */

export type TemplateName =
  | "follow"
  | "undo-follow"
  | "like"
  | "undo-like"
  | "announce"
  | "undo-announce"
  | "create-reply"
  | "update-reply"
  | "delete-note"
  | "update-person";

const templates = new Map<TemplateName, unknown>();

function template(name: TemplateName): unknown {
  let value = templates.get(name);
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(`../fixtures/mastodon/${name}.json`, import.meta.url), "utf8")) as unknown;
    templates.set(name, value);
  }
  return value;
}

export function fill(value: unknown, vars: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === "string") {
    const whole = /^\{\{([A-Z_]+)\}\}$/.exec(value);
    if (whole !== null && whole[1]! in vars && typeof vars[whole[1]!] !== "string") return structuredClone(vars[whole[1]!]);
    return value.replace(/\{\{([A-Z_]+)\}\}/g, (placeholder, name: string) => {
      const replacement = vars[name];
      if (replacement === undefined) throw new Error(`template placeholder ${placeholder} has no value`);
      return String(replacement);
    });
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, vars));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, vars)]));
  }
  return value;
}

/** A Mastodon activity from its template. */
export function buildActivity(name: TemplateName, vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return fill(template(name), vars) as Record<string, unknown>;
}

/** Mastodon's TextFormatter for plain text: HTML-escaped, newlines as `<br />` (text_formatter.rb). */
export function plainTextToHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/\r?\n/g, "<br />");
}

/** Mastodon's snowflake ids (lib/mastodon/snowflake.rb): milliseconds << 16 plus a sequence. */
export function snowflake(at: number, sequence: number): string {
  return ((BigInt(at) << 16n) + BigInt(sequence & 0xffff)).toString();
}

/** ISO 8601 without milliseconds, as Ruby's `Time#iso8601`. */
export function rubyIso(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Only the contexts every Mastodon ships preloaded (json-ld-preloaded); nothing is fetched. */
async function preloadedOnly(url: string): Promise<{ contextUrl: null; document: unknown; documentUrl: string }> {
  if (url in preloadedContexts) return { contextUrl: null, document: preloadedContexts[url], documentUrl: url };
  throw new Error(`context ${url} is not preloaded`);
}

/**
 * URDNA2015 canonical N-Quads, SHA-256, hex — as Ruby's json-ld does it, i.e. not in safe mode: a
 * term the context does not define (F10's `featuredCollections`) is dropped, not an error.
 */
async function hash(document: unknown): Promise<string> {
  const canonical = await jsonld.canonize(document, { format: "application/n-quads", algorithm: "URDNA2015", documentLoader: preloadedOnly, safe: false });
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * An RsaSignature2017 LD signature exactly as Mastodon ≤ 4.6 makes it (linked_data_signature.rb
 * `sign!`): the hash of the options (with the identity context) followed by the hash of the
 * document, signed RSA-SHA256; the signature object carries `type`, `creator`, `created` (no
 * milliseconds, no `expires`) and `signatureValue`, without `@context`.
 */
export async function ldSign(activity: Record<string, unknown>, privateKey: KeyObject, keyId: string): Promise<Record<string, unknown>> {
  const options = { type: "RsaSignature2017", creator: keyId, created: rubyIso(new Date()) };
  const toSign = (await hash({ "@context": "https://w3id.org/identity/v1", creator: options.creator, created: options.created })) + (await hash(activity));
  const signatureValue = createSign("RSA-SHA256").update(toSign).sign(privateKey, "base64");
  return { ...activity, signature: { ...options, signatureValue } };
}
