/** The directory module's entry: what other layers and modules may use. */
export { countBackfillEntries, listBackfillEntries } from "./backfill.queries.ts";
export { type DirectoryHit, findEntryByIri, listDirectoryOrigins, searchDirectory } from "./directory.queries.ts";
export { removeEntry, upsertReceivedEntry } from "./directory.repository.ts";
