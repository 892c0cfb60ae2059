import { sql } from "kysely";
import type { BomLine, DbOrTrx, ForkLink } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";
import type { ReleaseRecord } from "./design.queries.ts";

/** The design fields beside the actor row (name and rendered summary live on `actors`). */
export interface DesignFields {
  readonly summaryMarkdown: string;
  readonly function: string;
  readonly tags: readonly string[];
  readonly licence: string;
  readonly documentationLicence: string | null;
  readonly licensor: string;
  readonly projectActorId: number | null;
}

function fieldsToColumns(fields: DesignFields) {
  return {
    summary_markdown: fields.summaryMarkdown,
    function: fields.function,
    // A text[] bound as an array literal works the same on postgres.js and PGlite.
    tags: sql<string[]>`${toArrayLiteral(fields.tags)}::text[]`,
    licence: fields.licence,
    documentation_licence: fields.documentationLicence,
    licensor: fields.licensor,
    project_actor_id: fields.projectActorId,
  };
}

export async function insertDesign(
  db: DbOrTrx,
  actorId: number,
  createdBy: number,
  fields: DesignFields,
  options: { listed: boolean; forkOf: string | null; forkChain: readonly ForkLink[] },
): Promise<void> {
  await db
    .insertInto("designs")
    .values({
      actor_id: actorId,
      created_by: createdBy,
      directory_listed: options.listed,
      fork_of: options.forkOf,
      fork_chain: jsonb([...options.forkChain]),
      ...fieldsToColumns(fields),
    })
    .execute();
}

export async function updateDesignFields(db: DbOrTrx, actorId: number, fields: DesignFields): Promise<void> {
  await db.updateTable("designs").set({ ...fieldsToColumns(fields), updated_at: new Date() }).where("actor_id", "=", actorId).execute();
}

export async function setDesignListed(db: DbOrTrx, actorId: number, listed: boolean): Promise<void> {
  await db.updateTable("designs").set({ directory_listed: listed }).where("actor_id", "=", actorId).execute();
}

/** Adds a maintainer; false when they already were one. */
export async function insertDesignMaintainer(db: DbOrTrx, designActorId: number, memberActorId: number): Promise<boolean> {
  const row = await db
    .insertInto("design_maintainers")
    .values({ design_actor_id: designActorId, member_actor_id: memberActorId })
    .onConflict((oc) => oc.columns(["design_actor_id", "member_actor_id"]).doNothing())
    .returning("member_actor_id")
    .executeTakeFirst();
  return row !== undefined;
}

/** A release row as inserted: the stored record without its files (written after it). */
export type NewRelease = Omit<ReleaseRecord, "files">;

export interface NewReleaseFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly role: string | null;
  readonly preview: { readonly sha256: string; readonly width: number; readonly height: number } | null;
}

/** Inserts a release; false when the design already has this version (the unique constraint decides, race-free). */
export async function insertRelease(db: DbOrTrx, release: NewRelease): Promise<boolean> {
  const row = await db
    .insertInto("design_releases")
    .values({
      id: release.id,
      design_actor_id: release.designActorId,
      version: release.version,
      version_order: release.versionOrder,
      notes_markdown: release.notesMarkdown,
      notes_html: release.notesHtml,
      trl: release.trl,
      drl: release.drl,
      bom: jsonb([...release.bom]),
      licence: release.licence,
      documentation_licence: release.documentationLicence,
      fork_of: release.forkOf,
      total_bytes: release.totalBytes,
      published_at: release.publishedAt,
    })
    .onConflict((oc) => oc.columns(["design_actor_id", "version"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertReleaseFiles(db: DbOrTrx, releaseId: string, files: readonly NewReleaseFile[]): Promise<void> {
  if (files.length === 0) return;
  await db
    .insertInto("release_files")
    .values(
      files.map((file, position) => ({
        release_id: releaseId,
        position,
        name: file.name,
        sha256: file.sha256,
        size: file.size,
        media_type: file.mediaType,
        role: file.role,
        preview_sha256: file.preview?.sha256 ?? null,
        preview_width: file.preview?.width ?? null,
        preview_height: file.preview?.height ?? null,
      })),
    )
    .execute();
}

/** `{"a","b"}` with every element quoted and escaped. */
function toArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}
