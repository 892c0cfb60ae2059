import { parse, TomlError } from "smol-toml";
import { DomainError, invalidInput } from "../../platform/errors.ts";
import { normalizeHashtag } from "../../platform/text/markdown.ts";
import type { FileRole } from "../design-files/index.ts";
import { type CreateDesignInput, CreateDesignSchema, type ReleaseInput, ReleaseInputSchema } from "../designs/index.ts";
import { OKH_FILE_KEYS, type OkhFileKey, ROLE_OF_KEY } from "./file-roles.ts";
import { OKH_FILES_MAX, OKH_MANIFEST_MAX_BYTES, type OkhManifest, OkhManifestSchema, type OkhPart } from "./okh-import.schema.ts";
import { readinessLevel } from "./readiness-levels.ts";

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
  /** The new design, valid as the API's and the forms' CreateDesignSchema. */
  readonly design: CreateDesignInput;
  /** Its first release, valid as ReleaseInputSchema. */
  readonly release: ReleaseInput;
  readonly files: OkhNamedFile[];
  /** The manifest's `fork-of`, as written: recorded for the reader, never taken as a fork claim (forks are made by forking). */
  readonly declaredForkOf: string | null;
  /** References to URLs instead of files: an import cannot fetch them, so they are only reported. */
  readonly externalReferences: string[];
}

export interface ParseOkhOptions {
  /** The handle to give the design; by default one made from its name. */
  readonly handle?: string;
}

/**
 * Reads an okh.toml (TOML 1.0, OKH-LOSH fields) into a new design and its first release, valid as
 * the designs module's own input schemas, and the files it names. Every failure is an error whose
 * issue paths are the TOML keys to fix (`license`, `part.2.quantity`).
 */
export function parseOkhToml(text: string, options: ParseOkhOptions = {}): OkhImport {
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
    const message = `is not TOML (line ${error.line}, column ${error.column}): ${error.message.split("\n")[0]}`;
    throw new DomainError("invalid_input", "invalid_input", `manifest: okh.toml ${message}`, [{ path: "manifest", message }]);
  }
  const parsed = OkhManifestSchema.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error);
  const manifest = parsed.data;
  const parts = manifest.part ?? [];
  const bomTables = Array.isArray(manifest.bom) && manifest.bom.some((item) => typeof item === "object") ? (manifest.bom as OkhPart[]) : [];

  const design = CreateDesignSchema.safeParse({
    handle: options.handle ?? handleFromName(manifest.name),
    name: manifest.name,
    summary: manifest.description ?? "",
    function: manifest.function ?? "",
    tags: tagsOf(manifest.keywords ?? []),
    licence: manifest.license,
    documentationLicence: manifest["documentation-license"] ?? null,
    licensor: manifest.licensor ?? "",
  });
  const release = ReleaseInputSchema.safeParse({
    version: manifest.version,
    notes: manifest["release-notes"] ?? "",
    trl: readinessLevel("OTRL", manifest["technology-readiness-level"]) ?? null,
    drl: readinessLevel("ODRL", manifest["documentation-readiness-level"]) ?? null,
    bom: [...parts, ...bomTables].map((part) => ({ part: part.name, quantity: part.quantity ?? 1, unit: part.unit, material: part.material, source: part.supplier, link: part.link })),
  });
  const issues = [
    ...(design.success ? [] : design.error.issues.map((issue) => designIssue(issue, options.handle !== undefined))),
    ...(release.success ? [] : release.error.issues.map((issue) => releaseIssue(issue, parts.length))),
  ];
  if (issues.length > 0 || !design.success || !release.success) {
    throw new DomainError("invalid_input", "invalid_input", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  }
  const { files, externalReferences } = namedFiles(manifest);
  return {
    design: design.data,
    release: release.data,
    files,
    declaredForkOf: manifest["fork-of"] ?? null,
    externalReferences,
  };
}

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

/** The TOML key of each CreateDesignSchema field. */
const DESIGN_KEYS: Record<string, string> = { name: "name", summary: "description", function: "function", tags: "keywords", licence: "license", documentationLicence: "documentation-license", licensor: "licensor" };

function designIssue(issue: Issue, handleGiven: boolean): { path: string; message: string } {
  const [field] = issue.path;
  if (field === "handle") return handleGiven ? { path: "handle", message: issue.message } : { path: "name", message: `makes a handle that ${issue.message}; send a handle` };
  return { path: [DESIGN_KEYS[String(field)] ?? String(field), ...issue.path.slice(1).map(String)].join("."), message: issue.message };
}

const RELEASE_KEYS: Record<string, string> = { version: "version", notes: "release-notes", trl: "technology-readiness-level", drl: "documentation-readiness-level" };
const PART_KEYS: Record<string, string> = { part: "name", source: "supplier" };

/** BOM lines came from the `[[part]]`s, then the `[[bom]]` tables: a line's index says which table to name. */
function releaseIssue(issue: Issue, partCount: number): { path: string; message: string } {
  const [field, index, key] = issue.path;
  if (field !== "bom" || typeof index !== "number") return { path: RELEASE_KEYS[String(field)] ?? String(field), message: issue.message };
  const table = index < partCount ? `part.${index}` : `bom.${index - partCount}`;
  return { path: key === undefined ? table : `${table}.${PART_KEYS[String(key)] ?? String(key)}`, message: issue.message };
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
