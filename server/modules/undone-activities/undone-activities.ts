import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";

/** An activity a remote actor took back, by its id. */
export interface UndoneActivity {
  readonly activityIri: string;
  readonly actorIri: string;
}

/**
 * Remembers that `actorIri` undid `activityIri`, for `keepSeconds`. Expired entries are dropped on
 * the way, so the table holds only the retry horizon's worth of Undos.
 */
export async function rememberUndone(db: DbOrTrx, undone: UndoneActivity, keepSeconds: number): Promise<void> {
  await db.deleteFrom("undone_activities").where("expires_at", "<=", sql<Date>`now()`).execute();
  await db
    .insertInto("undone_activities")
    .values({
      activity_iri: undone.activityIri,
      actor_iri: undone.actorIri,
      expires_at: sql<Date>`now() + make_interval(secs => ${keepSeconds}::float8)`,
    })
    .onConflict((oc) =>
      oc.columns(["activity_iri", "actor_iri"]).doUpdateSet({ expires_at: sql<Date>`now() + make_interval(secs => ${keepSeconds}::float8)` }),
    )
    .execute();
}

/** Whether this actor undid this activity id within the horizon. */
export async function wasUndone(db: DbOrTrx, undone: UndoneActivity): Promise<boolean> {
  const row = await db
    .selectFrom("undone_activities")
    .select("activity_iri")
    .where("activity_iri", "=", undone.activityIri)
    .where("actor_iri", "=", undone.actorIri)
    .where("expires_at", ">", sql<Date>`now()`)
    .executeTakeFirst();
  return row !== undefined;
}
