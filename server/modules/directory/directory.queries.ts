import { type RawBuilder, sql } from "kysely";
import type { Db, DbOrTrx } from "../../db/database.ts";
import { isIpLiteral } from "../../platform/hosts.ts";
import { type DirectoryEntry, ENTRY_COLUMNS, rowToEntry, textArray } from "./directory-entry.ts";
import type { DirectorySearch } from "./directory-search.schema.ts";

/** A search result: the entry, and its distance from the search's point (km, to 0.1) when one was given. */
export interface DirectoryHit extends DirectoryEntry {
  readonly distanceKm: number | undefined;
}

export interface DirectoryResults {
  readonly total: number;
  readonly items: readonly DirectoryHit[];
}

type Condition = RawBuilder<boolean>;

/**
 * Every filter of a search as SQL the indexes serve: the generated tsvector (GIN) or trigram
 * similarity on the name (GIN gin_trgm_ops, `%` and `<%` use it; `similarity() > x` would not), the
 * tags array (GIN, `@>`), and the earth cube (GiST): `earth_box @>` narrows by index, `earth_distance`
 * then cuts the box's corners. `latitude IS NOT NULL` matches the partial index's predicate.
 */
function conditions(search: DirectorySearch, visibility?: DirectoryVisibility): Condition[] {
  const where: Condition[] = [];
  if (visibility !== undefined) where.push(...visibilityConditions(visibility));
  if (search.text !== undefined) {
    // Word similarity (`<%`, at least pg_trgm.word_similarity_threshold: see wordSimilarityThreshold)
    // finds the query in a longer name despite a typo; plain similarity (`%`) would only add short
    // names, for twice the rows to recheck.
    where.push(sql<boolean>`(${search.text} <% name OR search @@ websearch_to_tsquery('simple', ${search.text}))`);
  }
  if (search.tags.length > 0) where.push(sql<boolean>`tags @> ${textArray(search.tags)}`);
  if (search.kind !== undefined) where.push(sql<boolean>`kind = ${search.kind}`);
  if (search.node !== undefined) {
    // By actor IRI too through the (origin_host, updated_at) index.
    if ("host" in search.node) where.push(sql<boolean>`origin_host = ${search.node.host}`);
    else where.push(sql<boolean>`origin_host = ${new URL(search.node.iri).host} AND origin = ${search.node.iri}`);
  }
  if (search.point !== undefined) {
    where.push(sql<boolean>`latitude IS NOT NULL`);
    if (search.radiusKm !== undefined) {
      const meters = search.radiusKm * 1000;
      const center = earthPoint(search.point.latitude, search.point.longitude);
      where.push(sql<boolean>`earth_box(${center}, ${meters}::float8) @> ll_to_earth(latitude, longitude)`);
      where.push(sql<boolean>`earth_distance(${center}, ll_to_earth(latitude, longitude)) < ${meters}::float8`);
    }
  }
  if (search.locality !== undefined) where.push(sql<boolean>`lower(locality) = lower(${search.locality})`);
  if (search.region !== undefined) where.push(sql<boolean>`lower(region) = lower(${search.region})`);
  if (search.bioregion !== undefined) where.push(sql<boolean>`lower(bioregion) = lower(${search.bioregion})`);
  if (search.country !== undefined) where.push(sql<boolean>`country = ${search.country}`);
  if (search.licence !== undefined) where.push(sql<boolean>`lower(licence) = lower(${search.licence})`);
  if (search.madeNear !== undefined) {
    // At least one place it was made within the radius (great-circle distance on the earth sphere);
    // entries never made are skipped before their places are read.
    const center = earthPoint(search.madeNear.point.latitude, search.madeNear.point.longitude);
    const meters = search.madeNear.radiusKm * 1000;
    where.push(
      sql<boolean>`(made_count > 0 AND EXISTS (SELECT 1 FROM jsonb_array_elements(made_points) AS made(point) WHERE earth_distance(${center}, ll_to_earth((made.point->>0)::float8, (made.point->>1)::float8)) < ${meters}::float8))`,
    );
  }
  return where;
}

/**
 * The charter in force decides what the directory shows, not only what it accepts: entries from a
 * host the node has since blocked (or, in allowlist mode, no longer lists) disappear at once. Local
 * entries always show.
 */
export interface DirectoryVisibility {
  readonly localHost: string;
  readonly mode: "open" | "allowlist" | "blocklist";
  /** Canonical hosts (server/platform/hosts.ts canonicalHost). */
  readonly allow: readonly string[];
  /** Canonical hosts; each also covers its subdomains. */
  readonly block: readonly string[];
}

// origin_host as stored (URL.host: lower case, punycode, maybe a port and a root dot) in the canonical
// form the charter's lists are compared in, so no spelling of a blocked host shows its entries.
const CANONICAL_ORIGIN_HOST = sql<string>`rtrim(regexp_replace(origin_host, ':[0-9]+$', ''), '.')`;

function visibilityConditions(v: DirectoryVisibility): Condition[] {
  const where: Condition[] = [];
  if (v.block.length > 0) {
    const subdomains = v.block.filter((d) => !isIpLiteral(d)).map((d) => `%.${d.replace(/[\\%_]/g, "\\$&")}`);
    const blocked = sql<boolean>`(${CANONICAL_ORIGIN_HOST} = ANY(${textArray(v.block)}) OR ${CANONICAL_ORIGIN_HOST} LIKE ANY(${textArray(subdomains)}))`;
    where.push(sql<boolean>`(origin_host = ${v.localHost} OR NOT ${blocked})`);
  }
  if (v.mode === "allowlist") where.push(sql<boolean>`(origin_host = ${v.localHost} OR ${CANONICAL_ORIGIN_HOST} = ANY(${textArray(v.allow)}))`);
  return where;
}

function earthPoint(latitude: number, longitude: number): RawBuilder<unknown> {
  return sql`ll_to_earth(${latitude}::float8, ${longitude}::float8)`;
}

function allOf(where: Condition[]): Condition {
  return where.length === 0 ? sql<boolean>`true` : sql<boolean>`${sql.join(where, sql` AND `)}`;
}

const QUALIFIED_COLUMNS = ENTRY_COLUMNS.map((c) => `directory_entries.${c}` as const);

/**
 * The statements of a search: one page of hits in the search's order, and the count of all matches.
 * Exposed unexecuted so the benchmark runs the very same SQL through the bare driver.
 *
 * Ranked text needs every match evaluated anyway, so its page ranks narrow rows (id, name, rank),
 * counts them with a window, and joins the full rows of the 30 kept; `count` is then only a fallback
 * for a page past the end. Other orders stream from an index (updated_at, or the GiST cube index by
 * distance, nearest first) and stop after the page, and the count runs on its own.
 */
export function searchStatements(db: DbOrTrx, search: DirectorySearch, visibility?: DirectoryVisibility) {
  const where = allOf(conditions(search, visibility));
  const center = search.point && earthPoint(search.point.latitude, search.point.longitude);
  const distanceKm: RawBuilder<number | null> = center ? sql`earth_distance(${center}, ll_to_earth(latitude, longitude)) / 1000.0` : sql`NULL::float8`;
  const count = db.selectFrom("directory_entries").select((eb) => eb.fn.countAll<number>().as("n")).where(where);
  const offset = (search.page - 1) * search.pageSize;

  if (search.sort === "relevance" && search.text !== undefined) {
    // Plain similarity puts the exact name before longer ones; ts_rank weighs name > tags > summary > place.
    const meters: RawBuilder<number | null> = center ? sql`earth_distance(${center}, ll_to_earth(latitude, longitude))` : sql`NULL::float8`;
    const rank = sql<number>`ts_rank(search, websearch_to_tsquery('simple', ${search.text})) + similarity(name, ${search.text})`;
    let hits = db
      .selectFrom("directory_entries")
      .select(["id", "name", rank.as("rank"), sql<number>`count(*) OVER ()`.as("total_count"), meters.as("meters")])
      .where(where)
      .orderBy("rank", "desc");
    if (center) hits = hits.orderBy("meters");
    const ranked = hits.orderBy("name").orderBy("id").limit(search.pageSize).offset(offset).as("hits");
    const page = db
      .selectFrom(ranked)
      .innerJoin("directory_entries", "directory_entries.id", "hits.id")
      .select(QUALIFIED_COLUMNS)
      .select([distanceKm.as("distance_km"), "hits.total_count"])
      .orderBy("hits.rank", "desc")
      .orderBy("hits.meters")
      .orderBy("hits.name")
      .orderBy("hits.id");
    return { page, count, windowed: true };
  }

  let page = db
    .selectFrom("directory_entries")
    .select(QUALIFIED_COLUMNS)
    .select([distanceKm.as("distance_km"), sql<number | null>`NULL::int8`.as("total_count")])
    .where(where);
  // The cube distance (the chord, monotonic with the great-circle distance) alone as the order lets
  // the GiST index return nearest first; any further sort key would make PostgreSQL sort every row.
  if (search.sort === "distance" && center) page = page.orderBy(sql`ll_to_earth(latitude, longitude) <-> ${center}`);
  else page = page.orderBy("updated_at", "desc").orderBy("name").orderBy("id");
  return { page: page.limit(search.pageSize).offset(offset), count, windowed: false };
}

/**
 * How alike the query and part of a name must be (pg_trgm word similarity). One or two words keep
 * pg_trgm's default 0.6, which forgives a typo in a short query; a longer query names something more
 * precisely, and at 0.6 its trigrams of a common phrase ("open hardware design …") would match every
 * entry of that kind: 0.7 still forgives a typo or two but keeps the rest of the words meaningful.
 * The GIN index prunes by this setting, so it also bounds the rows to rank.
 */
export function wordSimilarityThreshold(text: string | undefined): number | undefined {
  if (text === undefined || text.trim().split(/\s+/).length < 3) return undefined;
  return 0.7;
}

/** Searches the directory: one page of hits in the search's order, and how many match in all. */
export async function searchDirectory(db: DbOrTrx, search: DirectorySearch, visibility?: DirectoryVisibility): Promise<DirectoryResults> {
  const threshold = wordSimilarityThreshold(search.text);
  if (threshold === undefined || db.isTransaction) return await runSearch(db, search, visibility, threshold);
  return await (db as Db).transaction().execute((trx) => runSearch(trx, search, visibility, threshold));
}

async function runSearch(db: DbOrTrx, search: DirectorySearch, visibility: DirectoryVisibility | undefined, threshold: number | undefined): Promise<DirectoryResults> {
  // Local to the transaction: the pooled connection goes back with the server's default.
  if (threshold !== undefined) await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(threshold)}, true)`.execute(db);
  const statements = searchStatements(db, search, visibility);
  const rows = await statements.page.execute();
  const windowTotal = rows[0]?.total_count;
  let total: number;
  if (statements.windowed && windowTotal !== undefined && windowTotal !== null) total = Number(windowTotal);
  else if (rows.length === 0 && search.page === 1) total = 0;
  else total = Number((await statements.count.executeTakeFirstOrThrow()).n);
  return {
    total,
    items: rows.map(({ total_count: _, ...row }) => ({ ...rowToEntry(row), distanceKm: row.distance_km === null ? undefined : Math.round(Number(row.distance_km) * 10) / 10 })),
  };
}

export async function findEntryByIri(db: DbOrTrx, iri: string): Promise<DirectoryEntry | undefined> {
  const row = await db.selectFrom("directory_entries").select(ENTRY_COLUMNS).where("iri", "=", iri).executeTakeFirst();
  return row && rowToEntry(row);
}

/** The nodes the directory holds entries of, with how many each, for the search form's choices. */
export async function listDirectoryOrigins(db: DbOrTrx, limit = 200): Promise<{ host: string; origin: string; entries: number }[]> {
  const rows = await db
    .selectFrom("directory_entries")
    .select(["origin_host", "origin", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["origin_host", "origin"])
    .orderBy("origin_host")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ host: r.origin_host, origin: r.origin, entries: Number(r.n) }));
}
