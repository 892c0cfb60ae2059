import type { DbOrTrx } from "../../db/database.ts";

/** What the directory lists of a project: the projects module's answer, so the directory never reads its tables. */
export interface ProjectListing {
  readonly actorId: number;
  readonly handle: string;
  readonly name: string;
  /** Rendered HTML (the actor's `summary`). */
  readonly summaryHtml: string;
  readonly tags: readonly string[];
  readonly location: { readonly name: string | null; readonly latitude: number; readonly longitude: number } | null;
  readonly locality: string | null;
  readonly region: string | null;
  readonly country: string | null;
  readonly bioregion: string | null;
  readonly listed: boolean;
  readonly archived: boolean;
}

function listingQuery(db: DbOrTrx) {
  return db
    .selectFrom("projects")
    .innerJoin("actors", "actors.id", "projects.actor_id")
    .select([
      "actors.id",
      "actors.handle",
      "actors.name",
      "actors.summary",
      "projects.tags",
      "projects.location_name",
      "projects.latitude",
      "projects.longitude",
      "projects.locality",
      "projects.region",
      "projects.country",
      "projects.bioregion",
      "projects.directory_listed",
      "projects.archived_at",
    ])
    .where("actors.kind", "=", "group");
}

type ListingRow = Awaited<ReturnType<ReturnType<typeof listingQuery>["executeTakeFirstOrThrow"]>>;

function rowToListing(row: ListingRow): ProjectListing {
  return {
    actorId: row.id,
    handle: row.handle,
    name: row.name,
    summaryHtml: row.summary,
    tags: row.tags ?? [],
    location: row.latitude === null || row.longitude === null ? null : { name: row.location_name, latitude: row.latitude, longitude: row.longitude },
    locality: row.locality,
    region: row.region,
    country: row.country,
    bioregion: row.bioregion,
    listed: row.directory_listed,
    archived: row.archived_at !== null,
  };
}

export async function findProjectListing(db: DbOrTrx, projectActorId: number): Promise<ProjectListing | undefined> {
  const row = await listingQuery(db).where("actors.id", "=", projectActorId).executeTakeFirst();
  return row && rowToListing(row);
}

export async function listProjectActorIds(db: DbOrTrx): Promise<number[]> {
  const rows = await db.selectFrom("projects").select("actor_id").orderBy("actor_id").execute();
  return rows.map((r) => r.actor_id);
}
