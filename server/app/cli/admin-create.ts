import { randomBytes } from "node:crypto";
import type { Config } from "../../platform/config.ts";
import { EmbeddedDatabaseBusyError } from "../../db/embedded-lock.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { type DatabaseHandle, embeddedDatabaseDir, openDatabase } from "../../db/open-database.ts";
import { type AdminCreationInput, AdminCreationSchema, createAccountsService, refusalText } from "../../modules/accounts/index.ts";
import { createNodeService } from "../../modules/node/index.ts";
import { createSecretBox } from "../../platform/secret-box.ts";
import { loadOrCreateSecret } from "../../platform/secret.ts";
import { sendControlRequest } from "./control-client.ts";
import { controlSocketPath } from "./control-protocol.ts";

export type AdminCreationOutcome = { ok: true; id: number; handle: string; via: "database" | "running node" } | { ok: false; message: string };

/** A strong password for a generated admin: 144 random bits, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

/** Checks the username and password before anything is opened, naming each bad field. */
export function validateAdminInput(username: string, password: string): { ok: true; input: AdminCreationInput } | { ok: false; message: string } {
  const parsed = AdminCreationSchema.safeParse({ username, password });
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ") };
}

/**
 * Creates an active admin on the node's database. On the embedded database a running node holds
 * PGlite, so the node is asked over its control socket instead of opening the files a second time.
 */
export async function createAdminAccount(config: Config, input: AdminCreationInput): Promise<AdminCreationOutcome> {
  let database: DatabaseHandle;
  try {
    // As server/app/node.ts opens it; not imported from there, so the CLI does not load the whole app.
    database = config.databaseUrl !== undefined
      ? await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2 })
      : await openDatabase({ embeddedDir: embeddedDatabaseDir(config.dataDir) });
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseBusyError)) throw error;
    const response = await sendControlRequest(controlSocketPath(config.dataDir), { command: "createAdmin", ...input });
    return response.ok ? { ok: true, ...response.account, via: "running node" } : { ok: false, message: response.error };
  }
  try {
    await migrateToLatest(database.db);
    const box = createSecretBox(loadOrCreateSecret(config.dataDir, config.secretKey));
    await createNodeService({ db: database.db, box, config }).checkSecret();
    // No federation runs here, and making an admin publishes nothing, so the outbox port stays idle.
    const accounts = createAccountsService({ db: database.db, box, publisher: async () => undefined });
    const result = await accounts.createAdmin(input);
    if (!result.ok) return { ok: false, message: refusalText(result) };
    return { ok: true, id: result.profile.accountId, handle: result.profile.handle, via: "database" };
  } finally {
    await database.close();
  }
}
