/** The charter module's entry: what other layers and modules may use. */
import type { Db } from "../../db/database.ts";
import type { RegistrationMode } from "../../platform/config.ts";
import type { JsonChange } from "./charter-diff.ts";
import { type CharterHistoryEntry, type CharterVersion, charterVersion, currentCharter, listCharterHistory } from "./charter.repository.ts";
import type { CharterUpdateInput } from "./charter.schema.ts";
import { charterRegistrationMode, diffCharterVersions, type ReviseResult, reviseCharter } from "./charter.service.ts";

// The inbox, NodeInfo and the directory collection read the charter in force with the database they hold.
export { type CharterHistoryEntry, type CharterVersion, currentCharter } from "./charter.repository.ts";
export type { ReviseResult } from "./charter.service.ts";
/** An SPDX licence id in its canonical spelling (or a LicenseRef-…): designs check their licences with it. */
export { SpdxIdSchema } from "./charter.schema.ts";

/** What the charter service is made with, once, when the node starts. */
export interface CharterServiceDeps {
  readonly db: Db;
  /** REGISTRATION from the environment: it only seeds version 1. */
  readonly registration: RegistrationMode;
}

/** An admin making a version, named in its history. */
export interface CharterAuthor {
  readonly accountId: number;
  readonly handle: string;
}

/**
 * The one entry to the node's charter (its rules as versioned data) for the API, the pages and the
 * HTTP edge. Nothing is cached: every call reads the version in force, so a change applies to the
 * next request in every process. Version 1 exists once anyone asks for the charter or its history.
 */
export function createCharterService(deps: CharterServiceDeps) {
  const { db, registration } = deps;
  const current = (): Promise<CharterVersion> => currentCharter(db, registration);

  return {
    /** The version in force (version 1, from REGISTRATION, on first use). */
    current,
    /** One version, or undefined when there is no such version. */
    async version(version: number): Promise<CharterVersion | undefined> {
      await current();
      return await charterVersion(db, version);
    },
    /** Every version, newest first, with who made it and why. */
    async history(): Promise<CharterHistoryEntry[]> {
      await current();
      return await listCharterHistory(db);
    },
    /** The changes from version `from` to version `to`; undefined when either does not exist. */
    diff: (from: number, to: number): Promise<{ from: CharterVersion; to: CharterVersion; changes: JsonChange[] } | undefined> => diffCharterVersions(db, from, to),
    /** Appends a version; a conflict (someone saved since `basedOn`) is a value, not an error. */
    revise: (input: CharterUpdateInput, by: CharterAuthor | null): Promise<ReviseResult> => reviseCharter(db, registration, input, by),
    /** The registration mode in force: the charter's, not REGISTRATION's. */
    registrationMode: (): Promise<RegistrationMode> => charterRegistrationMode(db, registration),
  };
}

export type CharterService = ReturnType<typeof createCharterService>;
