import type { Selectable } from "kysely";
import type { DbOrTrx, DesignForkTable } from "../../db/database.ts";

/** A fork of one of our designs, made on another node (directly, or further down the chain). */
export interface ForkRecord {
  readonly designActorId: number;
  readonly depth: number;
  readonly sourceReleaseIri: string;
  readonly parentDesignIri: string;
  readonly forkDesignIri: string;
  readonly forkUrl: string | null;
  readonly forkName: string;
  readonly forkReleaseIri: string | null;
  readonly licence: string;
  readonly nodeHost: string;
  readonly city: string | null;
  readonly activityIri: string;
  readonly recordedAt: Date;
}

export type NewForkRecord = Omit<ForkRecord, "recordedAt">;

function toRecord(row: Selectable<DesignForkTable>): ForkRecord {
  return {
    designActorId: row.design_actor_id,
    depth: row.depth,
    sourceReleaseIri: row.source_release_iri,
    parentDesignIri: row.parent_design_iri,
    forkDesignIri: row.fork_design_iri,
    forkUrl: row.fork_url,
    forkName: row.fork_name,
    forkReleaseIri: row.fork_release_iri,
    licence: row.licence,
    nodeHost: row.node_host,
    city: row.city,
    activityIri: row.activity_iri,
    recordedAt: row.recorded_at,
  };
}

/**
 * Records a fork once per (our design, fork design): a repeated or re-sent announcement of the same
 * fork adds nothing. Returns whether a row was added.
 */
export async function insertForkOnce(db: DbOrTrx, fork: NewForkRecord): Promise<boolean> {
  const inserted = await db
    .insertInto("design_forks")
    .values({
      design_actor_id: fork.designActorId,
      depth: fork.depth,
      source_release_iri: fork.sourceReleaseIri,
      parent_design_iri: fork.parentDesignIri,
      fork_design_iri: fork.forkDesignIri,
      fork_url: fork.forkUrl,
      fork_name: fork.forkName,
      fork_release_iri: fork.forkReleaseIri,
      licence: fork.licence,
      node_host: fork.nodeHost,
      city: fork.city,
      activity_iri: fork.activityIri,
    })
    .onConflict((oc) => oc.columns(["design_actor_id", "fork_design_iri"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Every recorded fork of one of our designs, shallowest first, then in the order they arrived. */
export async function listForksOf(db: DbOrTrx, designActorId: number): Promise<ForkRecord[]> {
  const rows = await db.selectFrom("design_forks").selectAll().where("design_actor_id", "=", designActorId).orderBy("depth").orderBy("id").execute();
  return rows.map(toRecord);
}

export async function countForksOf(db: DbOrTrx, designActorId: number): Promise<number> {
  const row = await db
    .selectFrom("design_forks")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("design_actor_id", "=", designActorId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Fork counts of several designs in one query (a list page), zero for those without forks. */
export async function countForksOfAll(db: DbOrTrx, designActorIds: readonly number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>(designActorIds.map((id) => [id, 0]));
  if (designActorIds.length === 0) return counts;
  const rows = await db
    .selectFrom("design_forks")
    .select(["design_actor_id", (eb) => eb.fn.countAll<string>().as("n")])
    .where("design_actor_id", "in", [...designActorIds])
    .groupBy("design_actor_id")
    .execute();
  for (const row of rows) counts.set(row.design_actor_id, Number(row.n));
  return counts;
}
