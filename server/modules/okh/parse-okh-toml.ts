import { parse, TomlError } from "smol-toml";
import type { BomLine } from "../../db/database.ts";
import { DomainError, invalidInput } from "../../platform/errors.ts";
import { normalizeHashtag } from "../../platform/text/markdown.ts";
import type { FileRole } from "../design-files/index.ts";
import { OKH_FILE_KEYS, type OkhFileKey, ROLE_OF_KEY } from "./file-roles.ts";
import { OKH_FILES_MAX, OKH_MANIFEST_MAX_BYTES, type OkhManifest, OkhManifestSchema, type OkhPart } from "./okh-import.schema.ts";
import { readinessLevel } from "./readiness-levels.ts";

/** A design as an okh.toml describes it, in the shape of the designs module's CreateDesignInput. */
export interface OkhDesignDraft {
  readonly handle: string;
  readonly name: string;
  readonly summary: string;
  readonly function: string;
  readonly tags: string[];
  readonly licence: string;
  readonly documentationLicence: string | null;
  readonly licensor: string;
}

/** Its release, in the shape of the designs module's ReleaseInput. */
export interface OkhReleaseDraft {
  readonly version: string;
  readonly notes: string;
  readonly trl: string | null;
  readonly drl: string | null;
  readonly bom: BomLine[];
}

/** A file the manifest names, with the role its key gives it. */
export interface OkhNamedFile {
  /** The release file's name: the reference's last segment (a release keeps files side by side). */
  readonly name: string;
  /** The path as the manifest writes it, which an upload may use as its file name too. */
  readonly reference: string;
  readonly role: FileRole;
  /** The manifest key that named it first, for messages (`export.1`, `part.0.source`). */
  readonly key: string;
}

export interface OkhImport {
  readonly design: OkhDesignDraft;
  readonly release: OkhReleaseDraft;
  readonly files: OkhNamedFile[];
  /** The manifest's `fork-of`, as written: recorded for the reader, never taken as a fork claim (forks are made by forking). */
  readonly declaredForkOf: string | null;
  /** References to URLs instead of files: an import cannot fetch them, so they are only reported. */
  readonly externalReferences: string[];
}

/** BOM lines without a unit count pieces. */
const DEFAULT_UNIT = "pcs";

/**
 * Reads an okh.toml (TOML 1.0, OKH-LOSH fields) into the drafts of a new design and its first
 * release, and the files it names. Every failure is an invalid-input error naming the TOML key.
 */
export function parseOkhToml(text: string): OkhImport {
  if (Buffer.byteLength(text, "utf8") > OKH_MANIFEST_MAX_BYTES) {
    throw new DomainError("too_large", "manifest_too_large", `manifest: okh.toml must be at most ${OKH_MANIFEST_MAX_BYTES / 1024} KB`, [
      { path: "manifest", message: `must be at most ${OKH_MANIFEST_MAX_BYTES / 1024} KB` },
    ]);
  }
  let raw: unknown;
  try {
    raw = parse(text, { maxDepth: 16 });
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const where = `line ${error.line}, column ${error.column}`;
    const message = `is not TOML (${where}): ${error.message.split("\n")[0]}`;
    throw new DomainError("invalid_input", "invalid_input", `manifest: okh.toml ${message}`, [{ path: "manifest", message }]);
  }
  const parsed = OkhManifestSchema.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error);
  const manifest = parsed.data;
  const { files, externalReferences } = namedFiles(manifest);
  return {
    design: {
      handle: handleFromName(manifest.name),
      name: manifest.name,
      summary: manifest.description ?? "",
      function: manifest.function ?? "",
      tags: tagsOf(manifest.keywords ?? []),
      licence: manifest.license,
      documentationLicence: manifest["documentation-license"] ?? null,
      licensor: manifest.licensor ?? "",
    },
    release: {
      version: manifest.version,
      notes: manifest["release-notes"] ?? "",
      trl: readinessLevel("OTRL", manifest["technology-readiness-level"] ?? null) ?? null,
      drl: readinessLevel("ODRL", manifest["documentation-readiness-level"] ?? null) ?? null,
      bom: [...(manifest.part ?? []), ...(Array.isArray(manifest.bom) && typeof manifest.bom[0] === "object" ? (manifest.bom as OkhPart[]) : [])].map(toBomLine),
    },
    files,
    declaredForkOf: typeof manifest["fork-of"] === "string" ? manifest["fork-of"] : null,
    externalReferences,
  };
}

function toBomLine(part: OkhPart): BomLine {
  return { part: part.name, quantity: part.quantity ?? 1, unit: part.unit === undefined || part.unit === "" ? DEFAULT_UNIT : part.unit, material: part.material ?? null, source: part.supplier ?? null, link: part.link ?? null };
}

function namedFiles(manifest: OkhManifest): { files: OkhNamedFile[]; externalReferences: string[] } {
  const files = new Map<string, OkhNamedFile>();
  const externalReferences: string[] = [];
  const add = (reference: string, key: OkhFileKey, path: string) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) {
      externalReferences.push(reference);
      return;
    }
    // OKH-LOSH: a leading "/" starts from the repository root, where the manifest of a release sits.
    const relative = reference.replace(/^\/+/, "");
    const name = relative.split("/").at(-1) ?? "";
    if (name === "") return;
    const known = files.get(name);
    if (known === undefined) files.set(name, { name, reference: relative, role: ROLE_OF_KEY[key], key: path });
    else if (known.reference !== relative) {
      const message = `names “${relative}” and, at ${known.key}, “${known.reference}”: a release keeps its files side by side, so their names must differ`;
      throw new DomainError("invalid_input", "invalid_input", `${path}: ${message}`, [{ path, message }]);
    }
  };
  // The manifest's file keys in the order an export writes them, then each part's own files.
  for (const key of OKH_FILE_KEYS) {
    const value = manifest[key];
    if (Array.isArray(value)) value.forEach((item, index) => typeof item === "string" && add(item, key, `${key}.${index}`));
  }
  (manifest.part ?? []).forEach((part, index) => {
    for (const key of ["source", "export", "image"] as const) (part[key] ?? []).forEach((item) => add(item, key, `part.${index}.${key}`));
  });
  if (files.size > OKH_FILES_MAX) {
    throw new DomainError("invalid_input", "invalid_input", `manifest: names ${files.size} files, at most ${OKH_FILES_MAX}`, [{ path: "manifest", message: `must name at most ${OKH_FILES_MAX} files` }]);
  }
  return { files: [...files.values()], externalReferences };
}

function tagsOf(keywords: readonly string[]): string[] {
  const tags = keywords.map(normalizeHashtag).filter((tag): tag is string => tag !== null);
  return [...new Set(tags)].slice(0, 20);
}

/**
 * A handle from a name, for a manifest that has none: "Solar Dryer (v2)" → "solar-dryer-v2", in
 * Mastodon's username alphabet (actors/handle.schema.ts), at most 30 characters.
 */
export function handleFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30)
    .replace(/-+$/, "");
  return slug === "" ? "design" : slug;
}
