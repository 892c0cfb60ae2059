/**
 * Open Know-How (https://openknowhow.org, OKH-LOSH): a release as an okh.toml manifest and as
 * JSON-LD, and an okh.toml read back into the drafts of a new design and its first release. Pure
 * functions, no tables: the designs module stores, this module translates.
 */
export { OKH_FILE_KEYS, type OkhFileKey, okhKeyOf } from "./file-roles.ts";
export { OKH_JSONLD_CONTEXT, toOkhJsonLd } from "./okh-jsonld.ts";
export { OKH_MANIFEST_MAX_BYTES } from "./okh-import.schema.ts";
export { OKHV, toOkhManifest, toOkhToml } from "./okh-manifest.ts";
export type { OkhDesign, OkhLinks, OkhRelease, OkhReleaseFile } from "./okh-types.ts";
export { handleFromName, type OkhImport, type OkhNamedFile, type ParseOkhOptions, parseOkhToml } from "./parse-okh-toml.ts";
export { tomlString, type TomlTable, writeToml } from "./toml-writer.ts";
export { type OpenBlob, releaseArchiveEntries, releaseArchiveName, sha256sums } from "./release-archive.ts";
