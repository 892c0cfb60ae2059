import type { BomLine } from "../../db/database.ts";

/**
 * What an export reads of a design and one of its releases. The designs module's `DesignView` and
 * `ReleaseView` have these fields (and more), so they are passed as they are; keeping the shape here
 * keeps this module pure and independent of how designs are stored.
 */
export interface OkhDesign {
  readonly handle: string;
  readonly name: string;
  readonly summaryMarkdown: string;
  readonly function: string;
  readonly tags: readonly string[];
  readonly licensor: string;
  readonly forkOf: string | null;
}

export interface OkhReleaseFile {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly mediaType: string;
  readonly role: string | null;
  /** Where the file is downloaded. */
  readonly url: string;
}

export interface OkhRelease {
  readonly version: string;
  readonly notesMarkdown: string;
  readonly trl: string | null;
  readonly drl: string | null;
  readonly bom: readonly BomLine[];
  /** Licences as published with the release (they never change afterwards). */
  readonly licence: string;
  readonly documentationLicence: string | null;
  readonly forkOf: string | null;
  readonly publishedAt: Date;
  readonly files: readonly OkhReleaseFile[];
  /** The release's ActivityPub id. */
  readonly iri: string;
}

/** Where the manifest points: OKH-LOSH's `repo` (the design's page), `release` (this release) and who publishes it. */
export interface OkhLinks {
  /** The design's page, where its documentation is developed. */
  readonly repo: string;
  /** This release's page. */
  readonly release: string;
  /** The zip of the release, OKH v1's `archive-download`. */
  readonly archive?: string;
  /** The design actor's IRI. */
  readonly design?: string;
  /** The node publishing the design (OKH-LOSH `organization`). */
  readonly organization?: string;
}
