import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DatabaseHandle, openDatabase } from "../../server/db/open-database.ts";
import { migrateToLatest } from "../../server/db/migrate.ts";
import { migrationsFingerprint } from "./migrations-fingerprint.ts";

/**
 * Migrated in-memory PGlite instances from a snapshot of the data directory. A fresh instance spends most
 * of its start in initdb; one loaded from a migrated tarball (`loadDataDir`) skips initdb and every
 * migration. The tarball is kept in the temp directory for the whole run, since node --test runs each
 * file in its own process; its name carries the PGlite version and the migrations' fingerprint.
 */

const PGLITE_VERSION = (
  JSON.parse(readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8")) as { version: string }
).version;
const SNAPSHOT_DIR = join(tmpdir(), "commonsnet-test-snapshots");

interface Source {
  readonly tarball: Blob;
  readonly fromFile: boolean;
  /** The instance a new snapshot was taken from: as fresh as a copy, so the first caller gets it. */
  spare?: DatabaseHandle;
}

let source: Promise<Source> | undefined;

function migratedSource(): Promise<Source> {
  source ??= readSnapshot().then((tarball) => (tarball === undefined ? buildSnapshot() : { tarball, fromFile: true }));
  return source;
}

/** The migrated data directory as a tarball, for `openDatabase({ embeddedDir, snapshot })` on a new directory. */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const current = await migratedSource();
  // Nobody may ask for an in-memory instance in this process (e.g. a PostgreSQL run): free the spare's memory.
  const spare = current.spare;
  current.spare = undefined;
  await spare?.close();
  return current.tarball;
}

/** An in-memory PGlite with every migration applied, sharing nothing with any other instance. */
export async function openMigratedPglite(): Promise<DatabaseHandle> {
  const current = await migratedSource();
  const spare = current.spare;
  if (spare !== undefined) {
    current.spare = undefined;
    return spare;
  }
  try {
    return await openDatabase({ embeddedMemory: true, snapshot: current.tarball });
  } catch (error) {
    if (!current.fromFile) throw error;
    // An unreadable tarball (e.g. a truncated file): replace it, once.
    await rm(snapshotPath(), { force: true });
    source = buildSnapshot();
    return await openMigratedPglite();
  }
}

function snapshotPath(): string {
  return join(SNAPSHOT_DIR, `pglite-${PGLITE_VERSION}-${migrationsFingerprint()}.tar`);
}

async function readSnapshot(): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(snapshotPath())]);
  } catch {
    return undefined;
  }
}

/**
 * Migrates a fresh instance, dumps it and publishes the tarball with a rename, so a process starting at
 * the same time reads either no file or a whole one (two processes may both build; the last rename wins).
 */
async function buildSnapshot(): Promise<Source> {
  const handle = await openDatabase({ embeddedMemory: true });
  try {
    await migrateToLatest(handle.db);
    const tarball = await handle.dumpSnapshot!();
    const file = snapshotPath();
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    try {
      mkdirSync(SNAPSHOT_DIR, { recursive: true });
      await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()));
      await rename(partial, file);
    } catch {
      // Only a cache: without it the next process builds its own.
      await rm(partial, { force: true });
    }
    return { tarball, fromFile: false, spare: handle };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
