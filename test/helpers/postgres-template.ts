import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase } from "../../server/db/open-database.ts";
import { migrateToLatest } from "../../server/db/migrate.ts";
import { migrationsFingerprint } from "./migrations-fingerprint.ts";

/**
 * Migrated PostgreSQL databases by copy: the migrations run once into a template database, and each test
 * gets `CREATE DATABASE … TEMPLATE` of it (a file-level copy, far cheaper than running every migration).
 * The template lives beside the base database (TEST_DATABASE_URL's), named after it and after the
 * migrations, so runs against different base databases or with other migrations never share one.
 */

type Admin = ReturnType<typeof postgres>;

const templates = new Map<string, Promise<string>>();

/** A new database copied from the migrated template; returns its URL. */
export async function cloneMigratedDatabase(baseUrl: string): Promise<string> {
  try {
    return databaseUrl(baseUrl, await createScratchDatabase(baseUrl, await migratedTemplate(baseUrl)));
  } catch (error) {
    // 3D000: the template was dropped meanwhile (a run with other migrations replaced it); make it again.
    if ((error as { code?: string }).code !== "3D000") throw error;
    templates.delete(baseUrl);
    return databaseUrl(baseUrl, await createScratchDatabase(baseUrl, await migratedTemplate(baseUrl)));
  }
}

/** Checked or made once per process. */
function migratedTemplate(baseUrl: string): Promise<string> {
  let template = templates.get(baseUrl);
  if (template === undefined) {
    template = ensureMigratedTemplate(baseUrl);
    templates.set(baseUrl, template);
    // A failure (server down) must not be cached for the next test of the process.
    template.catch(() => templates.delete(baseUrl));
  }
  return template;
}

/** The migrated template's name, made first if missing; callable from many processes at once. */
export function ensureMigratedTemplate(baseUrl: string): Promise<string> {
  return withAdmin(baseUrl, (admin) => ensureTemplate(admin, baseUrl));
}

/** An empty database on the server of `baseUrl`, copied from `template` (default: PostgreSQL's template1). */
export async function createScratchDatabase(baseUrl: string, template?: string): Promise<string> {
  const name = `cn_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin(baseUrl, (admin) => admin.unsafe(`CREATE DATABASE ${name}${template === undefined ? "" : ` TEMPLATE ${quote(template)}`}`));
  return name;
}

export function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `<base>_tpl_<fingerprint>`, within PostgreSQL's 63-byte identifiers (with room for a `_new` suffix). */
export function templateName(baseUrl: string): string {
  const base = decodeURIComponent(new URL(baseUrl).pathname.slice(1)) || "postgres";
  return `${base.slice(0, 40)}_tpl_${migrationsFingerprint()}`;
}

/**
 * Makes the template unless it exists. Test processes start in parallel, so the first one builds it
 * under an advisory lock while the others wait, and it appears under its final name only once fully
 * migrated (built as `<name>_new`, then renamed): a crashed build never leaves a half-migrated template.
 */
async function ensureTemplate(admin: Admin, baseUrl: string): Promise<string> {
  const name = templateName(baseUrl);
  if (await exists(admin, name)) return name;
  await admin`SELECT pg_advisory_lock(hashtext(${name}))`;
  try {
    if (await exists(admin, name)) return name;
    const building = `${name}_new`;
    await admin.unsafe(`DROP DATABASE IF EXISTS ${quote(building)} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${quote(building)}`);
    const handle = await openDatabase({ databaseUrl: databaseUrl(baseUrl, building), poolSize: 1 });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
    await admin.unsafe(`ALTER DATABASE ${quote(building)} RENAME TO ${quote(name)}`);
    await dropStaleTemplates(admin, name);
    return name;
  } finally {
    await admin`SELECT pg_advisory_unlock(hashtext(${name}))`;
  }
}

/** Templates of older migrations for the same base database; one still being copied stays (DROP fails). */
async function dropStaleTemplates(admin: Admin, current: string): Promise<void> {
  const prefix = current.slice(0, current.lastIndexOf("_tpl_") + "_tpl_".length);
  const stale = await admin<{ datname: string }[]>`
    SELECT datname FROM pg_database WHERE starts_with(datname, ${prefix}) AND datname <> ${current}`;
  for (const { datname } of stale) {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${quote(datname)}`).catch(() => {});
  }
}

async function exists(admin: Admin, name: string): Promise<boolean> {
  const rows = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
  return rows.length > 0;
}

async function withAdmin<T>(baseUrl: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
