import type { Readable } from "node:stream";
import type { ZipEntry } from "../../platform/zip/index.ts";
import { toOkhToml } from "./okh-manifest.ts";
import type { OkhDesign, OkhLinks, OkhRelease } from "./okh-types.ts";

/** The names the archive writes itself; a release file of the same name is renamed so none is lost. */
const MANIFEST_NAME = "okh.toml";
const CHECKSUMS_NAME = "SHA256SUMS";

/** Opens a stored file by its SHA-256 (the blob store's `open`). */
export type OpenBlob = (sha256: string) => Promise<{ readonly stream: Readable; readonly size: number }>;

/** `solar-dryer-2.1.0.zip`: what a browser saves, and the folder the archive unpacks into. */
export function releaseArchiveName(design: Pick<OkhDesign, "handle">, release: Pick<OkhRelease, "version">): string {
  return `${design.handle}-${release.version}`.replace(/[^A-Za-z0-9._+-]/g, "_");
}

/**
 * The checksum list in sha256sum's own format (GNU coreutils: `<hex>  <name>`, two spaces for a
 * binary-safe text line), from the hashes stored with the release, so `sha256sum -c SHA256SUMS`
 * in the unpacked folder proves every file is the one published.
 */
export function sha256sums(files: readonly { readonly name: string; readonly sha256: string }[]): string {
  return files.map((file) => `${file.sha256}  ${file.name}\n`).join("");
}

/**
 * The entries of a release's zip, under one folder: every file (streamed from the blob store when the
 * zip reaches it, so one file is open at a time), the okh.toml and SHA256SUMS. The entry sizes are the
 * stored ones; a blob that differs fails the archive rather than sending wrong bytes.
 */
export function releaseArchiveEntries(design: OkhDesign, release: OkhRelease, links: OkhLinks, open: OpenBlob): ZipEntry[] {
  const folder = releaseArchiveName(design, release);
  const taken = new Set([MANIFEST_NAME, CHECKSUMS_NAME].map((name) => name.toLowerCase()));
  const files = release.files.map((file) => ({ ...file, archiveName: taken.has(file.name.toLowerCase()) ? `release-${file.name}` : file.name }));
  const manifest = toOkhToml(design, release, links);
  const sums = sha256sums(files.map((file) => ({ name: file.archiveName, sha256: file.sha256 })));
  const modified = release.publishedAt;
  return [
    ...files.map((file) => ({
      name: `${folder}/${file.archiveName}`,
      size: file.size,
      modified,
      open: async () => (await open(file.sha256)).stream,
    })),
    { name: `${folder}/${MANIFEST_NAME}`, size: Buffer.byteLength(manifest), modified, open: () => manifest },
    { name: `${folder}/${CHECKSUMS_NAME}`, size: Buffer.byteLength(sums), modified, open: () => sums },
  ];
}
