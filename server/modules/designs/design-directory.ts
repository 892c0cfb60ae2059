import type { DbOrTrx } from "../../db/database.ts";
import { type DirectoryChange, syncDesignEntry } from "../directory/index.ts";
import type { ActivityDraft, EmitActivity } from "../outbox/index.ts";
import { findDesignByActorId, latestReleasesOf } from "./design.queries.ts";

/**
 * The directory side of the designs' outbox port: a change to a design's directory entry becomes the
 * node actor's `Create`/`Update`/`Delete` of the entry for this node's peers (federation/
 * directory-publisher.ts). Called inside the design's transaction, reading only through `trx`.
 */
export interface DesignDirectoryPort {
  directoryChanged?(change: DirectoryChange, trx: DbOrTrx): Promise<readonly ActivityDraft[]>;
}

/**
 * Keeps a design's directory entry (kind `design`: licence, latest version) in step with the design,
 * in the design's own transaction, as projects do with theirs: on create, edit and each release. The
 * builds reported (made-here) are kept as the directory has them.
 */
export async function syncDesignDirectory(trx: DbOrTrx, emit: EmitActivity, publicUrl: URL, actorId: number, port: DesignDirectoryPort | undefined): Promise<void> {
  const record = await findDesignByActorId(trx, actorId);
  const latest = record && (await latestReleasesOf(trx, [actorId])).get(actorId);
  const change = await syncDesignEntry(
    trx,
    publicUrl,
    actorId,
    record && {
      actorId,
      handle: record.handle,
      name: record.name,
      summaryHtml: record.summaryHtml,
      tags: record.tags,
      licence: record.licence,
      latestVersion: latest?.version ?? null,
      projectHandle: record.project?.handle ?? null,
      listed: record.listed,
    },
  );
  if (change === null || port?.directoryChanged === undefined) return;
  for (const draft of await port.directoryChanged(change, trx)) await emit(draft);
}
