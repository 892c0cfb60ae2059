import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { cube } from "@electric-sql/pglite/contrib/cube";
import { earthdistance } from "@electric-sql/pglite/contrib/earthdistance";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PGliteDialect } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { Database } from "./database.ts";
import { acquireEmbeddedLock } from "./embedded-lock.ts";

export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** Where the data lives, for logs and /healthz (no credentials). */
  readonly location: string;
  close(): Promise<void>;
  /** PGlite only: the data directory as an uncompressed tarball, to open copies with `snapshot`. */
  readonly dumpSnapshot?: () => Promise<Blob>;
}

export type OpenDatabaseOptions =
  | { readonly databaseUrl: string; readonly poolSize?: number }
  | { readonly embeddedDir: string; readonly snapshot?: Blob }
  | { readonly embeddedMemory: true; readonly snapshot?: Blob };

const INT8_OID = 20;

/**
 * Opens PostgreSQL (postgres.js) or embedded PostgreSQL (PGlite) behind one Kysely type. Driver
 * differences are normalised here and nowhere else: int8 (bigserial ids, count(*)) becomes a JS number
 * on both (postgres.js returns strings, PGlite numbers or bigints); ids and counts stay far below 2^53.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if ("databaseUrl" in options) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openEmbedded("embeddedDir" in options ? options.embeddedDir : undefined, options.snapshot);
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    types: {
      int8: { to: INT8_OID, from: [INT8_OID], serialize: (v: unknown) => String(v), parse: (v: string) => Number(v) },
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) });
  const parsed = new URL(url);
  return {
    db,
    engine: "postgres",
    location: `postgres://${parsed.host}${parsed.pathname}`,
    close: () => db.destroy(),
  };
}

// A snapshot (PGlite's `loadDataDir`, for a new directory or memory) skips initdb, the slowest part of
// opening a fresh instance.
async function openEmbedded(dir: string | undefined, snapshot: Blob | undefined): Promise<DatabaseHandle> {
  const release = dir === undefined ? () => {} : acquireEmbeddedLock(prepareDir(dir));
  try {
    const pglite = await PGlite.create(dir === undefined ? "memory://" : resolve(dir), {
      extensions: { pg_trgm, cube, earthdistance },
      parsers: { [INT8_OID]: (v: string) => Number(v) },
      ...(snapshot === undefined ? {} : { loadDataDir: snapshot }),
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    return {
      db,
      engine: "pglite",
      location: dir === undefined ? "memory" : resolve(dir),
      close: async () => {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
        release();
      },
      dumpSnapshot: () => pglite.dumpDataDir("none"),
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Creates the parent directory; the lock sits beside PGlite's directory, not inside it. */
function prepareDir(dir: string): string {
  const absolute = resolve(dir);
  mkdirSync(dirname(absolute), { recursive: true });
  return `${absolute}.lock`;
}

/** The embedded database directory inside a node's DATA_DIR. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, "pgdata");
}
