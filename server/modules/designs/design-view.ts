import type { BomLine, ForkLink } from "../../db/database.ts";
import { actorPagePath, releaseFilePath, releaseFilePreviewPath, releasePath } from "../../../federation/uris.ts";
import type { DesignRecord, ReleaseFileRecord, ReleaseRecord } from "./design.queries.ts";

/** A design as pages, the API and the `Service` translator use it. */
export interface DesignView {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  readonly summaryMarkdown: string;
  readonly summaryHtml: string;
  readonly function: string;
  readonly tags: readonly string[];
  readonly licence: string;
  readonly documentationLicence: string | null;
  readonly licensor: string;
  readonly project: { readonly handle: string; readonly name: string } | null;
  /** The release this design was forked from (an IRI, here or elsewhere). */
  readonly forkOf: string | null;
  /** The whole chain back to the original, oldest first. */
  readonly forkChain: readonly ForkLink[];
  readonly listed: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The actor's id. */
  readonly iri: string;
  /** Its page (the same URL, content-negotiated). */
  readonly url: string;
}

export interface FilePreview {
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
}

export interface ReleaseFileView {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly mediaType: string;
  /** The OKH file role (source, export, bom, manual, image, other), if known. */
  readonly role: string | null;
  readonly preview: FilePreview | null;
  /** Where it downloads. */
  readonly url: string;
}

export interface ReleaseView extends Omit<ReleaseRecord, "designActorId" | "versionOrder" | "files"> {
  readonly designHandle: string;
  readonly files: readonly ReleaseFileView[];
  /** The `Release` object's id; also its page. */
  readonly iri: string;
  readonly url: string;
}

/** A file already in the blob store (stored by the files' code), to attach to a new release. */
export interface StoredReleaseFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly role: string | null;
  readonly preview: FilePreview | null;
}

export function toDesignView(publicUrl: URL, record: DesignRecord): DesignView {
  const iri = new URL(actorPagePath(record.handle), publicUrl).href;
  return {
    actorId: record.actorId,
    handle: record.handle,
    name: record.name,
    summaryMarkdown: record.summaryMarkdown,
    summaryHtml: record.summaryHtml,
    function: record.function,
    tags: record.tags,
    licence: record.licence,
    documentationLicence: record.documentationLicence,
    licensor: record.licensor,
    project: record.project,
    forkOf: record.forkOf,
    forkChain: record.forkChain,
    listed: record.listed,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    iri,
    url: iri,
  };
}

export function toReleaseView(publicUrl: URL, designHandle: string, record: ReleaseRecord): ReleaseView {
  const iri = new URL(releasePath(designHandle, record.version), publicUrl).href;
  return {
    id: record.id,
    designHandle,
    version: record.version,
    notesMarkdown: record.notesMarkdown,
    notesHtml: record.notesHtml,
    trl: record.trl,
    drl: record.drl,
    bom: record.bom,
    licence: record.licence,
    documentationLicence: record.documentationLicence,
    forkOf: record.forkOf,
    totalBytes: record.totalBytes,
    publishedAt: record.publishedAt,
    files: record.files.map((file) => toFileView(publicUrl, designHandle, record.version, file)),
    iri,
    url: iri,
  };
}

function toFileView(publicUrl: URL, handle: string, version: string, file: ReleaseFileRecord): ReleaseFileView {
  return { ...file, url: new URL(releaseFilePath(handle, version, file.name), publicUrl).href };
}

/** The preview image's URL of a file that has one. */
export function previewUrlOf(publicUrl: URL, release: Pick<ReleaseView, "designHandle" | "version">, file: Pick<ReleaseFileView, "name" | "preview">): string | null {
  return file.preview === null ? null : new URL(releaseFilePreviewPath(release.designHandle, release.version, file.name), publicUrl).href;
}
