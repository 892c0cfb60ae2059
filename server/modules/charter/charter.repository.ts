import type { DbOrTrx } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";
import { type CharterDocument, CharterInput, defaultCharter } from "./charter.schema.ts";

export interface CharterVersion {
  readonly version: number;
  readonly document: CharterDocument;
  readonly note: string;
  readonly createdBy: number | null;
  readonly createdAt: Date;
}

function toVersion(row: { version: number; document: unknown; note: string; created_by: number | null; created_at: Date }): CharterVersion {
  return { version: row.version, document: CharterInput.parse(row.document), note: row.note, createdBy: row.created_by, createdAt: row.created_at };
}

/**
 * The charter in force. Read from the database on every call (one indexed row), so a change takes
 * effect on the very next request in every process. Version 1 is created from REGISTRATION on first use.
 */
export async function currentCharter(db: DbOrTrx, registrationDefault: CharterDocument["registration"]): Promise<CharterVersion> {
  const row = await db.selectFrom("charter_versions").selectAll().orderBy("version", "desc").limit(1).executeTakeFirst();
  if (row) return toVersion(row);
  await db
    .insertInto("charter_versions")
    .values({ version: 1, document: jsonb(defaultCharter(registrationDefault)), note: "First version, from the node's configuration" })
    .onConflict((oc) => oc.column("version").doNothing())
    .execute();
  return toVersion(await db.selectFrom("charter_versions").selectAll().where("version", "=", 1).executeTakeFirstOrThrow());
}

/** The newest version, or undefined before the first one was made (the default charter then applies). */
export async function latestCharterVersion(db: DbOrTrx): Promise<CharterVersion | undefined> {
  const row = await db.selectFrom("charter_versions").selectAll().orderBy("version", "desc").limit(1).executeTakeFirst();
  return row && toVersion(row);
}

export async function charterVersion(db: DbOrTrx, version: number): Promise<CharterVersion | undefined> {
  const row = await db.selectFrom("charter_versions").selectAll().where("version", "=", version).executeTakeFirst();
  return row && toVersion(row);
}

/** A line of the charter's history: who made each version (the admin's handle, if the account remains) and why. */
export interface CharterHistoryEntry {
  readonly version: number;
  readonly note: string;
  readonly createdAt: Date;
  readonly createdBy: string | null;
}

export async function listCharterHistory(db: DbOrTrx): Promise<CharterHistoryEntry[]> {
  const rows = await db
    .selectFrom("charter_versions")
    .leftJoin("accounts", "accounts.id", "charter_versions.created_by")
    .leftJoin("actors", "actors.id", "accounts.actor_id")
    .select(["charter_versions.version", "charter_versions.note", "charter_versions.created_at", "actors.handle"])
    .orderBy("charter_versions.version", "desc")
    .execute();
  return rows.map((r) => ({ version: r.version, note: r.note, createdAt: r.created_at, createdBy: r.handle }));
}

/** Appends a version (never edits one); two admins saving at once get consecutive versions or a conflict. */
export async function appendCharterVersion(
  db: DbOrTrx,
  document: CharterDocument,
  meta: { note: string; createdBy: number | null; basedOn: number },
): Promise<CharterVersion | undefined> {
  const row = await db
    .insertInto("charter_versions")
    .values({ version: meta.basedOn + 1, document: jsonb(document), note: meta.note, created_by: meta.createdBy })
    .onConflict((oc) => oc.column("version").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toVersion(row);
}
