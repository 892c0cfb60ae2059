/** The directory module's entry: what other layers and modules may use. */
import type { Db } from "../../db/database.ts";
import type { CharterService } from "../charter/index.ts";
import type { DirectoryEntry } from "./directory-entry.ts";
import type { DirectorySearch } from "./directory-search.schema.ts";
import { directoryVisibility } from "./directory-visibility.ts";
import { type DirectoryResults, findEntryByIri, listDirectoryOrigins, searchDirectory } from "./directory.queries.ts";
import { localEntryIri } from "./local-entries.ts";
import { countBackfillEntries, listBackfillEntries } from "./backfill.queries.ts";

export { countBackfillEntries, listBackfillEntries } from "./backfill.queries.ts";
export type { DirectoryEntry } from "./directory-entry.ts";
export { type DirectoryHit, type DirectoryResults, findEntryByIri } from "./directory.queries.ts";
export { removeEntry, upsertReceivedEntry } from "./directory.repository.ts";
// Designs keep their listings in step in their own transactions, and made-here reports their builds.
export { type DesignListing, type MadeSummary, syncDesignEntry, syncDesignMade } from "./design-entries.ts";
export type { DirectoryChange } from "./local-entries.ts";
export type { MadePoint } from "./directory-entry.ts";
export { licenceRefusal, publishedLicenceRefusal } from "./licence-rule.ts";
// Peering forgets a disconnected peer's entries in the transaction that forgets the peer.
export { removeEntriesFromPeer } from "./directory.repository.ts";

/** What the directory service is made with, once, when the node starts. */
export interface DirectoryServiceDeps {
  readonly db: Db;
  readonly publicUrl: URL;
  /** The charter decides which origins the directory shows and how far our listings travel. */
  readonly charter: CharterService;
}

/** A node the directory holds entries of, with how many, for the search form's choices. */
export interface DirectoryOrigin {
  readonly host: string;
  readonly origin: string;
  readonly entries: number;
}

/**
 * The one entry to the directory (this node's listings and those its peers shared) for the API and
 * the pages. A search reads the charter in force, one page of hits and, only when that page cannot
 * tell it, the total: a fixed number of queries whatever the page size.
 */
export function createDirectoryService(deps: DirectoryServiceDeps) {
  const { db, publicUrl, charter } = deps;

  return {
    /** One page of hits, without the origins the charter in force excludes. */
    async search(search: DirectorySearch): Promise<DirectoryResults> {
      const { document } = await charter.current();
      return await searchDirectory(db, search, directoryVisibility(document, publicUrl));
    },
    /** The origins the directory holds entries of, by host. */
    origins: (): Promise<DirectoryOrigin[]> => listDirectoryOrigins(db),
    /** A local project's listing by its entry slug (the project's handle), or undefined when it has none. */
    async localEntry(slug: string): Promise<DirectoryEntry | undefined> {
      const entry = await findEntryByIri(db, localEntryIri(publicUrl, slug));
      return entry?.localActorId === null ? undefined : entry;
    },
    /** What a connecting peer backfills (federation/directory-collection.ts): entries within the charter's hop limit, by id. */
    async backfillPage(options: { readonly afterId: number; readonly limit: number }): Promise<DirectoryEntry[]> {
      const { document } = await charter.current();
      return await listBackfillEntries(db, document.directory.hopLimit, options, document.licences);
    },
    async backfillCount(): Promise<number> {
      const { document } = await charter.current();
      return await countBackfillEntries(db, document.directory.hopLimit, document.licences);
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
