import { z } from "zod";
import type { Config } from "../platform/config.ts";
import type { JsonChange } from "../modules/charter/charter-diff.ts";
import type { CharterHistoryEntry, CharterVersion } from "../modules/charter/index.ts";
import { DIRECTORY_KINDS, FEDERATION_MODES } from "../modules/charter/charter.schema.ts";
import { REGISTRATION_MODES } from "../platform/config.ts";
import { charterVersionPath } from "../../federation/uris.ts";
import { type JsonOf, Timestamp, Url } from "./openapi-registry.ts";

/** A charter version as the API returns it; `url` is that version's permanent page (and JSON-LD document). */
export function toCharterJson(config: Pick<Config, "publicUrl">, version: CharterVersion): JsonOf<typeof CharterJson> {
  return {
    version: version.version,
    document: version.document,
    note: version.note,
    createdAt: version.createdAt.toISOString(),
    url: new URL(charterVersionPath(version.version), config.publicUrl).href,
  };
}

export function toHistoryJson(entry: CharterHistoryEntry): JsonOf<typeof CharterHistoryEntryJson> {
  return {
    version: entry.version,
    note: entry.note,
    createdAt: entry.createdAt.toISOString(),
    ...(entry.createdBy !== null && { createdBy: entry.createdBy }),
  };
}

export function toDiffJson(from: number, to: number, changes: readonly JsonChange[]): JsonOf<typeof CharterDiffJson> {
  return { from, to, changes };
}

const Hosts = z.array(z.string().meta({ description: "A host name, optionally with :port (`city.example`, `127.0.0.1:8080`)" }));

/** The rules as stored: what an admin sent, normalised, with every default filled in (modules/charter/charter.schema.ts). */
export const CharterDocumentJson = z
  .object({
    registration: z.enum(REGISTRATION_MODES).meta({ description: "How people join this node" }),
    federation: z.object({
      mode: z
        .enum(FEDERATION_MODES)
        .meta({ description: "`open`: everyone but the blocked hosts; `allowlist`: only the allowed hosts; `blocklist`: everyone but the blocked hosts" }),
      allow: Hosts.meta({ description: "Hosts federated with in allowlist mode" }),
      block: Hosts.meta({ description: "Hosts refused in every mode" }),
    }),
    directory: z.object({
      acceptKinds: z.array(z.enum(DIRECTORY_KINDS)).meta({ description: "Kinds of directory listings accepted from peers" }),
      hopLimit: z.number().int().meta({ description: "How many nodes beyond direct peers a listing may travel" }),
    }),
    licences: z.array(z.string().meta({ description: "An SPDX identifier (https://spdx.org/licenses/) or LicenseRef-…" })),
    moderation: z.string().meta({ description: "Moderation rules, in prose" }),
    contact: z.string(),
  })
  .meta({ id: "CharterDocument" });

export const CharterJson = z
  .object({
    version: z.number().int(),
    document: CharterDocumentJson,
    note: z.string().meta({ description: "Why this version was made" }),
    createdAt: Timestamp,
    url: Url.meta({ description: "This version's permanent URL (`/charter/v{n}`): an HTML page, or JSON-LD with Accept: application/activity+json" }),
  })
  .meta({ id: "Charter" });

export const CharterHistoryEntryJson = z
  .object({
    version: z.number().int(),
    note: z.string(),
    createdAt: Timestamp,
    createdBy: z.string().optional().meta({ description: "Handle of the admin who made the version (absent for the first version)" }),
  })
  .meta({ id: "CharterHistoryEntry" });

export const CharterDiffJson = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    changes: z.array(
      z.object({
        path: z.string().meta({ description: "Dot-separated, e.g. `federation.block`; lists are compared whole" }),
        old: z.unknown().meta({ description: "The value in `from` (null: absent)" }),
        new: z.unknown().meta({ description: "The value in `to` (null: absent)" }),
      }),
    ),
  })
  .meta({ id: "CharterDiff" });
