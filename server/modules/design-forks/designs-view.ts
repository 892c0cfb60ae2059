import type { BomLine, ForkLink } from "../../db/database.ts";

/**
 * The part of the designs service (server/modules/designs) forking uses, as its contract names it:
 * forks are created and published through it, never by writing its tables.
 */
export interface ForkedDesign {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  readonly licence: string;
  readonly forkOf: string | null;
  readonly forkChain: ForkLink[];
  readonly iri: string;
  readonly url: string;
}

export interface StoredFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly role: string | null;
  readonly preview: { readonly sha256: string; readonly width: number; readonly height: number } | null;
}

export interface ForkedRelease {
  readonly iri: string;
  readonly version: string;
  readonly licence: string;
}

export interface DesignsForForks {
  find(handle: string): Promise<ForkedDesign | undefined>;
  create(
    creatorActorId: number,
    input: { handle: string; name: string; summary?: string; function?: string; tags?: string[]; licence: string; documentationLicence?: string; licensor?: string },
    fork?: { forkOf: string; forkChain: ForkLink[] },
  ): Promise<ForkedDesign>;
  publishRelease(
    memberActorId: number,
    handle: string,
    input: { version: string; notes?: string; trl?: string; drl?: string; bom?: BomLine[] },
    files: readonly StoredFile[],
    options?: { forkOf?: string },
  ): Promise<ForkedRelease>;
  releaseByIri(iri: string): Promise<{ design: ForkedDesign; release: ForkedRelease } | undefined>;
  isBlobReferenced(sha256: string): Promise<boolean>;
}
