import { ConfigError, loadConfig } from "../../platform/config.ts";
import { configureLogging } from "../../platform/logging.ts";
import { createAdminAccount, generatePassword, validateAdminInput } from "./admin-create.ts";

/**
 * `npm run cli -- <command>`: node administration from a shell. Exit codes: 0 done, 1 failed
 * (the reason on stderr), 2 usage or configuration error.
 */
const USAGE = `Usage: npm run cli -- admin create <username>

  admin create <username>   Create an active admin account.
                            The password is read from stdin (its first line) when stdin is not a
                            terminal; otherwise, or when stdin is empty, a strong password is
                            generated and printed once.

The node's configuration (DATA_DIR, DATABASE_URL, ...) is read from the environment, as for npm start.
`;

async function main(args: readonly string[]): Promise<number> {
  if (args.length === 0 || args[0] === "help" || args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const [area, command, username, ...rest] = args;
  if (area !== "admin" || command !== "create" || username === undefined || rest.length > 0) {
    process.stderr.write(`Unknown command: ${args.join(" ")}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  await configureLogging(config.logLevel);

  const supplied = process.stdin.isTTY ? "" : await readFirstLine();
  const password = supplied === "" ? generatePassword() : supplied;
  const checked = validateAdminInput(username, password);
  if (!checked.ok) {
    process.stderr.write(`Cannot create the admin: ${checked.message}\n`);
    return 1;
  }
  const outcome = await createAdminAccount(config, checked.input);
  if (!outcome.ok) {
    process.stderr.write(`Cannot create the admin: ${outcome.message}\n`);
    return 1;
  }
  process.stdout.write(`Created admin @${outcome.handle}@${config.publicUrl.host} (account ${outcome.id}, ${outcome.via === "database" ? "written to the database" : "created by the running node"}).\n`);
  if (supplied === "") process.stdout.write(`Password (shown only this once): ${password}\n`);
  return 0;
}

/** The first line of stdin, without its line ending ("" when stdin is empty). */
async function readFirstLine(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
  }
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`Cannot create the admin: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
