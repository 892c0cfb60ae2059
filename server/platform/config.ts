import { join } from "node:path";
import { z } from "zod";
import { CidrSchema } from "./outbound-http/address-ranges.ts";

/**
 * The node's configuration, parsed once from the environment (docs/architecture.md#conventions: nothing else reads
 * `process.env`). The variable names are a contract: deployment scripts outside the project use them.
 */
export type Config = Readonly<{
  port: number;
  publicUrl: URL;
  dataDir: string;
  databaseUrl: string | undefined;
  nodeRole: NodeRole;
  nodeName: string;
  nodeDescription: string;
  registration: RegistrationMode;
  logLevel: LogLevel;
  nodeEnv: NodeEnv;
  allowPrivateAddress: boolean;
  /** Non-public ranges (CIDR) the node may still connect to, e.g. 127.0.0.0/8 for nodes on one machine. */
  privateAddressAllow: readonly string[];
  secretKey: string | undefined;
  trustProxy: boolean;
  /** The directory map's tile source, a Leaflet URL template (`{s}`, `{z}`, `{x}`, `{y}`). */
  mapTileUrl: string;
  /** Root of the content-addressed store of design files (server/platform/blob-store). */
  storageDir: string;
  /** Caps on one uploaded design file and on one release's files together, in bytes. */
  designFileMaxBytes: number;
  designReleaseMaxBytes: number;
}>;

export const NODE_ROLES = ["web", "worker", "all"] as const;
export const REGISTRATION_MODES = ["open", "approval", "invite", "closed"] as const;
export const LOG_LEVELS = ["trace", "debug", "info", "warning", "error", "fatal"] as const;
export const NODE_ENVS = ["development", "test", "production"] as const;
export type NodeRole = (typeof NODE_ROLES)[number];
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Thrown when the environment holds a bad value; `issues` name each variable. */
export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), { error: "must be a postgres:// or postgresql:// URL" });

const megabytes = z.coerce
  .number({ error: "must be a number of megabytes" })
  .positive({ error: "must be more than 0" })
  .max(100_000, { error: "must be at most 100000 (100 GB)" });

/** Raw environment shape; each key is the variable's own name so errors name it. */
export const EnvSchema = z.object({
  PORT: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be between 0 and 65535" })
    .max(65535, { error: "must be between 0 and 65535" })
    .default(8080),
  PUBLIC_URL: z.string().optional(),
  DATA_DIR: z.string().min(1, { error: "must not be empty" }).default("./data"),
  DATABASE_URL: postgresUrl.optional(),
  NODE_ROLE: z.enum(NODE_ROLES, { error: `must be one of ${NODE_ROLES.join(", ")}` }).default("all"),
  NODE_NAME: z.string().trim().min(1, { error: "must not be empty" }).max(100, { error: "must be at most 100 characters" }).default("Commonsnet node"),
  NODE_DESCRIPTION: z.string().max(2000, { error: "must be at most 2000 characters" }).default("A Commonsnet node: projects, co-ops and shared designs of the commons."),
  REGISTRATION: z.enum(REGISTRATION_MODES, { error: `must be one of ${REGISTRATION_MODES.join(", ")}` }).default("approval"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  NODE_ENV: z.enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(", ")}` }).default("development"),
  ALLOW_PRIVATE_ADDRESS: booleanFlag.default(false),
  // Comma- or space-separated; each range is reachable only because an operator named it.
  PRIVATE_ADDRESS_ALLOW: z
    .string()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(CidrSchema).max(50, { error: "must name at most 50 ranges" }))
    .default([]),
  SECRET_KEY: z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  TRUST_PROXY: booleanFlag.default(false),
  MAP_TILE_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/?#]+\//.test(v) && ["{z}", "{x}", "{y}"].every((p) => v.includes(p)) && URL.canParse(v.replaceAll("{s}", "a")), {
      error: "must be an http(s) tile URL template with {z}, {x} and {y}, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    })
    .default("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
  STORAGE_DIR: z.string().min(1, { error: "must not be empty" }).optional(),
  DESIGN_FILE_MAX_MB: megabytes.default(50),
  DESIGN_RELEASE_MAX_MB: megabytes.default(500),
});

/** Parses the environment into a frozen Config, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
  }
  const e = parsed.data;
  const issues: string[] = [];
  const publicUrl = parsePublicUrl(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`, issues);
  if (e.ALLOW_PRIVATE_ADDRESS && e.NODE_ENV === "production") {
    issues.push("ALLOW_PRIVATE_ADDRESS: is refused when NODE_ENV is production (it lets remote input reach internal addresses)");
  }
  if (e.NODE_ROLE !== "all" && e.DATABASE_URL === undefined) {
    issues.push(`NODE_ROLE: '${e.NODE_ROLE}' needs DATABASE_URL; the embedded database serves one process only, so use 'all'`);
  }
  if (e.DESIGN_FILE_MAX_MB > e.DESIGN_RELEASE_MAX_MB) {
    issues.push("DESIGN_FILE_MAX_MB: must not be more than DESIGN_RELEASE_MAX_MB (a release holds its files)");
  }
  if (issues.length > 0 || publicUrl === undefined) throw new ConfigError(issues);
  return Object.freeze({
    port: e.PORT,
    publicUrl,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    nodeRole: e.NODE_ROLE,
    nodeName: e.NODE_NAME,
    nodeDescription: e.NODE_DESCRIPTION,
    registration: e.REGISTRATION,
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    allowPrivateAddress: e.ALLOW_PRIVATE_ADDRESS,
    privateAddressAllow: Object.freeze(e.PRIVATE_ADDRESS_ALLOW),
    secretKey: e.SECRET_KEY,
    trustProxy: e.TRUST_PROXY,
    mapTileUrl: e.MAP_TILE_URL,
    storageDir: e.STORAGE_DIR ?? join(e.DATA_DIR, "files"),
    designFileMaxBytes: Math.floor(e.DESIGN_FILE_MAX_MB * 1024 * 1024),
    designReleaseMaxBytes: Math.floor(e.DESIGN_RELEASE_MAX_MB * 1024 * 1024),
  });
}

/** PUBLIC_URL is the origin of every IRI: scheme, host and port only. */
function parsePublicUrl(value: string, issues: string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push(`PUBLIC_URL: '${value}' is not a URL (expected e.g. https://node.example)`);
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    issues.push("PUBLIC_URL: must use http or https");
    return undefined;
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username) {
    issues.push("PUBLIC_URL: must be an origin only (no path, query, fragment or credentials)");
    return undefined;
  }
  return new URL(url.origin);
}
