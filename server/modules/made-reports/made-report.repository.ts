import type { DbOrTrx, ForkLink, MadePhoto } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";

/** A report as stored: made on this node or received from another. */
export interface MadeReportRow {
  readonly id: string;
  readonly iri: string;
  readonly releaseIri: string;
  /** The design built and its version, as the report named them. */
  readonly designName: string;
  readonly version: string;
  readonly designActorId: number | null;
  readonly localReleaseId: string | null;
  readonly reporterIri: string;
  readonly reporterName: string;
  readonly place: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly facility: string | null;
  readonly directoryEntryIri: string | null;
  readonly madeAt: Date;
  readonly notesHtml: string;
  readonly deviations: string;
  readonly photos: readonly MadePhoto[];
  readonly chain: readonly ForkLink[];
  readonly originHost: string;
}

/**
 * Stores a report once per IRI: a repeated delivery (or the same report reaching us along two links
 * of a chain) stores nothing and answers false.
 */
export async function insertMadeReport(db: DbOrTrx, row: MadeReportRow): Promise<boolean> {
  const inserted = await db
    .insertInto("made_reports")
    .values({
      id: row.id,
      iri: row.iri,
      release_iri: row.releaseIri,
      design_name: row.designName,
      release_version: row.version,
      design_actor_id: row.designActorId,
      local_release_id: row.localReleaseId,
      reporter_iri: row.reporterIri,
      reporter_name: row.reporterName,
      place: row.place,
      latitude: row.latitude,
      longitude: row.longitude,
      facility: row.facility,
      directory_entry_iri: row.directoryEntryIri,
      made_at: row.madeAt,
      notes_html: row.notesHtml,
      deviations: row.deviations,
      photos: jsonb(row.photos),
      chain: jsonb(row.chain),
      origin_host: row.originHost,
    })
    .onConflict((oc) => oc.column("iri").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}
