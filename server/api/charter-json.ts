import type { Config } from "../platform/config.ts";
import type { JsonChange } from "../modules/charter/charter-diff.ts";
import type { CharterHistoryEntry, CharterVersion } from "../modules/charter/index.ts";
import { DIRECTORY_KINDS, FEDERATION_MODES, MAX_HOP_LIMIT } from "../modules/charter/charter.schema.ts";
import { REGISTRATION_MODES } from "../platform/config.ts";
import { charterVersionPath } from "../../federation/uris.ts";

/** A charter version as the API returns it; `url` is that version's permanent page (and JSON-LD document). */
export function toCharterJson(config: Pick<Config, "publicUrl">, version: CharterVersion) {
  return {
    version: version.version,
    document: version.document,
    note: version.note,
    createdAt: version.createdAt.toISOString(),
    url: new URL(charterVersionPath(version.version), config.publicUrl).href,
  };
}

export function toHistoryJson(entry: CharterHistoryEntry) {
  return {
    version: entry.version,
    note: entry.note,
    createdAt: entry.createdAt.toISOString(),
    ...(entry.createdBy !== null && { createdBy: entry.createdBy }),
  };
}

export function toDiffJson(from: number, to: number, changes: readonly JsonChange[]) {
  return { from, to, changes };
}

const HOSTS = { type: "array", maxItems: 1000, items: { type: "string", description: "A host name, optionally with :port (`city.example`, `127.0.0.1:8080`)" } };

export const CHARTER_DOCUMENT_SCHEMA = {
  type: "object",
  required: ["registration", "federation"],
  additionalProperties: false,
  properties: {
    registration: { type: "string", enum: [...REGISTRATION_MODES], description: "How people join this node" },
    federation: {
      type: "object",
      required: ["mode"],
      additionalProperties: false,
      properties: {
        mode: { type: "string", enum: [...FEDERATION_MODES], description: "`open`: everyone but the blocked hosts; `allowlist`: only the allowed hosts; `blocklist`: everyone but the blocked hosts" },
        allow: { ...HOSTS, description: "Hosts federated with in allowlist mode" },
        block: { ...HOSTS, description: "Hosts refused in every mode" },
      },
    },
    directory: {
      type: "object",
      additionalProperties: false,
      properties: {
        acceptKinds: { type: "array", items: { type: "string", enum: [...DIRECTORY_KINDS] }, description: "Kinds of directory listings accepted from peers" },
        hopLimit: { type: "integer", minimum: 0, maximum: MAX_HOP_LIMIT, default: 1, description: "How many nodes beyond direct peers a listing may travel" },
      },
    },
    licences: { type: "array", maxItems: 100, items: { type: "string", description: "An SPDX identifier (https://spdx.org/licenses/) or LicenseRef-…" } },
    moderation: { type: "string", maxLength: 20000, description: "Moderation rules, in prose" },
    contact: { type: "string", maxLength: 500 },
  },
} as const;

export const CHARTER_SCHEMA = {
  type: "object",
  required: ["version", "document", "note", "createdAt", "url"],
  properties: {
    version: { type: "integer", minimum: 1 },
    document: CHARTER_DOCUMENT_SCHEMA,
    note: { type: "string", description: "Why this version was made" },
    createdAt: { type: "string", format: "date-time" },
    url: { type: "string", format: "uri", description: "This version's permanent URL (`/charter/v{n}`): an HTML page, or JSON-LD with Accept: application/activity+json" },
  },
} as const;

export const HISTORY_SCHEMA = {
  type: "object",
  required: ["items"],
  properties: {
    items: {
      type: "array",
      items: {
        type: "object",
        required: ["version", "note", "createdAt"],
        properties: {
          version: { type: "integer" },
          note: { type: "string" },
          createdAt: { type: "string", format: "date-time" },
          createdBy: { type: "string", description: "Handle of the admin who made the version (absent for the first version)" },
        },
      },
    },
  },
} as const;

export const DIFF_SCHEMA = {
  type: "object",
  required: ["from", "to", "changes"],
  properties: {
    from: { type: "integer" },
    to: { type: "integer" },
    changes: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "old", "new"],
        properties: {
          path: { type: "string", description: "Dot-separated, e.g. `federation.block`; lists are compared whole" },
          old: { description: "The value in `from` (null: absent)" },
          new: { description: "The value in `to` (null: absent)" },
        },
      },
    },
  },
} as const;
