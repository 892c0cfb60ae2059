import { getLogger } from "@logtape/logtape";
import type { RegistrationMode } from "../../platform/config.ts";
import type { Db, DbOrTrx } from "../../db/database.ts";
import { diffJson, type JsonChange, jsonEqual } from "./charter-diff.ts";
import { appendCharterVersion, type CharterVersion, charterVersion, currentCharter, latestCharterVersion } from "./charter.repository.ts";
import { type CharterUpdateInput, defaultCharter } from "./charter.schema.ts";
import { isPeerAllowed } from "./peer-policy.ts";

const logger = getLogger(["commonsnet", "charter"]);
const APPEND_ATTEMPTS = 3;

export type ReviseResult =
  | { readonly outcome: "created"; readonly version: CharterVersion; readonly changes: readonly JsonChange[] }
  /** The submitted rules are those in force: no empty version is added to the history. */
  | { readonly outcome: "unchanged"; readonly version: CharterVersion }
  /** `basedOn` is not the current version: someone saved in between. */
  | { readonly outcome: "conflict"; readonly current: CharterVersion; readonly message: string };

/**
 * An admin's new version of the charter. Versions are only appended; with `basedOn` the save is
 * refused when another admin saved first (optimistic concurrency), without it two concurrent saves
 * become consecutive versions. The new rules apply from the next request on (nothing is cached).
 */
export async function reviseCharter(
  db: Db,
  registrationDefault: RegistrationMode,
  input: CharterUpdateInput,
  createdBy: { readonly accountId: number; readonly handle: string } | null,
): Promise<ReviseResult> {
  const { note, basedOn, ...document } = input;
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
    const current = await currentCharter(db, registrationDefault);
    if (basedOn !== undefined && basedOn !== current.version) return conflictWith(current, basedOn);
    if (jsonEqual(document, current.document)) return { outcome: "unchanged", version: current };
    const created = await appendCharterVersion(db, document, { note, createdBy: createdBy?.accountId ?? null, basedOn: current.version });
    if (created !== undefined) {
      const changes = diffJson(current.document, created.document);
      logger.info("Charter version {version} by {admin}: {paths}", {
        version: created.version,
        admin: createdBy?.handle ?? "(system)",
        paths: changes.map((c) => c.path).join(", "),
      });
      return { outcome: "created", version: created, changes };
    }
    if (basedOn !== undefined) return conflictWith(await currentCharter(db, registrationDefault), basedOn);
  }
  throw new Error(`Could not append a charter version after ${APPEND_ATTEMPTS} attempts`);
}

function conflictWith(current: CharterVersion, basedOn: number): ReviseResult {
  const message =
    basedOn > current.version
      ? `Version ${basedOn} does not exist; the current version is ${current.version}.`
      : `The charter changed since version ${basedOn}: the current version is ${current.version}. Reload it and make your change again.`;
  return { outcome: "conflict", current, message };
}

/** The changes from version `from` to version `to`; undefined when either does not exist. */
export async function diffCharterVersions(db: DbOrTrx, from: number, to: number): Promise<{ from: CharterVersion; to: CharterVersion; changes: JsonChange[] } | undefined> {
  const [a, b] = await Promise.all([charterVersion(db, from), charterVersion(db, to)]);
  if (a === undefined || b === undefined) return undefined;
  return { from: a, to: b, changes: diffJson(a.document, b.document) };
}

/** The registration mode in force: the charter's (REGISTRATION only seeds version 1). */
export async function charterRegistrationMode(db: DbOrTrx, registrationDefault: RegistrationMode): Promise<RegistrationMode> {
  return (await currentCharter(db, registrationDefault)).document.registration;
}

/**
 * Why the charter in force refuses federating with `host`, or null when it allows it. Before the
 * first version exists the default charter (open federation) applies, which refuses no one.
 */
export async function charterRefusal(db: DbOrTrx, host: string): Promise<string | null> {
  const charter = await latestCharterVersion(db);
  return charter === undefined || isPeerAllowed(charter.document, host) ? null : refusalMessage(host, charter.version);
}

/**
 * The charter in force as a test of hosts, for outbound deliveries: a follower or recipient on a host
 * blocked (or no longer allowlisted) since it arrived gets nothing more from this node.
 */
export async function charterAllowsHost(db: DbOrTrx): Promise<(host: string) => boolean> {
  const charter = await latestCharterVersion(db);
  return charter === undefined ? () => true : (host) => isPeerAllowed(charter.document, host);
}

/** The message every refusal on charter grounds carries, inbound (403) and outbound (422). */
export function refusalMessage(host: string, version: number): string {
  return `${host} is not federated with under this node's charter (version ${version})`;
}

/**
 * How far this node lets its listings travel: the charter's hop limit. Read without creating the
 * first charter version (that needs REGISTRATION, which the projects module does not know).
 */
export async function publishedHopLimit(db: DbOrTrx): Promise<number> {
  const latest = await latestCharterVersion(db);
  return (latest?.document ?? defaultCharter("approval")).directory.hopLimit;
}

/**
 * The licences this node's charter accepts for design listings (empty = any), read like
 * `publishedHopLimit`, in the caller's transaction.
 */
export async function publishedLicences(db: DbOrTrx): Promise<readonly string[]> {
  const latest = await latestCharterVersion(db);
  return (latest?.document ?? defaultCharter("approval")).licences;
}
