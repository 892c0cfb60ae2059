import { createRequire } from "node:module";
import { z } from "zod";
import { REGISTRATION_MODES } from "../../platform/config.ts";

/** Directory kinds a node may accept (later issues add coops, designs and facilities as listings). */
export const DIRECTORY_KINDS = ["project", "coop", "design", "facility"] as const;
export const FEDERATION_MODES = ["open", "allowlist", "blocklist"] as const;
export const MAX_HOP_LIMIT = 5;

// The SPDX licence list (https://spdx.org/licenses/), current and deprecated identifiers, as published
// by the spdx-license-ids package. Identifiers match case-insensitively (SPDX spec annex D.2).
const require = createRequire(import.meta.url);
const SPDX_IDS = new Map(
  [...(require("spdx-license-ids/index.json") as string[]), ...(require("spdx-license-ids/deprecated.json") as string[])].map((id) => [id.toLowerCase(), id]),
);
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])(?::(\\d{1,5}))?$`);

/**
 * `https://City.example/path` → `city.example`; `Bücher.example.:8080` → `xn--bcher-kva.example:8080`:
 * lower case, punycode (IDNA) and no root dot, as hosts are compared (server/platform/hosts.ts). The
 * port stays as written; comparisons ignore it.
 */
function normaliseHost(value: string): string {
  const v = value.trim().toLowerCase();
  const host = /^https?:\/\//.test(v) && URL.canParse(v) ? new URL(v).host : v.replace(/\/.*$/, "");
  if (/[\s?#@\\]/.test(host) || !URL.canParse(`http://${host}/`)) return host;
  return new URL(`http://${host}/`).host.replace(/\.(?=:\d+$|$)/, "");
}

function isHost(value: string): boolean {
  const match = HOST.exec(value);
  if (match === null || value.length > 260) return false;
  return match[1] === undefined || (Number(match[1]) >= 1 && Number(match[1]) <= 65_535);
}

/** A peer as written in a charter: a host name (optionally with port), lower-cased, as `hostOf` gives it. */
const PeerHost = z
  .string({ error: "must be a host name" })
  .transform(normaliseHost)
  .refine(isHost, { error: (issue) => `“${String(issue.input)}” is not a host name such as city.example (optionally with :port)` });

/** An SPDX licence identifier, in its canonical spelling, or a LicenseRef-… of our own. */
export const SpdxIdSchema = z
  .string({ error: "must be an SPDX licence identifier" })
  .trim()
  .transform((v) => SPDX_IDS.get(v.toLowerCase()) ?? v)
  .refine((v) => SPDX_IDS.has(v.toLowerCase()) || LICENSE_REF.test(v), {
    error: (issue) => `“${String(issue.input)}” is not an SPDX licence identifier (see https://spdx.org/licenses/) or a LicenseRef-…`,
  });

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** A misspelt key is named (strict objects), a wrong type says what was expected. */
function objectError(fields: string) {
  return (issue: { code?: string; keys?: readonly string[] }) =>
    issue.code === "unrecognized_keys" ? `has no field ${issue.keys!.map((k) => `“${k}”`).join(", ")} (the fields are ${fields})` : `must be an object with ${fields}`;
}

/**
 * The node's rules as data (README, "Charter and directory"). One named schema for the API, the admin
 * form and stored versions. Enforced at the federation edge, not only displayed. Unknown keys are
 * refused, so a misspelt rule is an error rather than silently dropped.
 */
export const CharterInput = z.strictObject({
  registration: z.enum(REGISTRATION_MODES, { error: `must be one of ${REGISTRATION_MODES.join(", ")}` }),
  federation: z.strictObject(
    {
      mode: z.enum(FEDERATION_MODES, { error: `must be one of ${FEDERATION_MODES.join(", ")}` }),
      /** Peers accepted in allowlist mode (others refused). */
      allow: z.array(PeerHost, { error: "must be a list of host names" }).max(1000, { error: "must list at most 1000 hosts" }).default([]).transform(unique),
      /** Peers refused in every mode. */
      block: z.array(PeerHost, { error: "must be a list of host names" }).max(1000, { error: "must list at most 1000 hosts" }).default([]).transform(unique),
    },
    { error: objectError("mode, allow and block") },
  ),
  directory: z
    .strictObject(
      {
        /** Kinds of listings accepted from peers. */
        acceptKinds: z
          .array(z.enum(DIRECTORY_KINDS, { error: `must be one of ${DIRECTORY_KINDS.join(", ")}` }), { error: "must be a list of kinds" })
          .max(DIRECTORY_KINDS.length)
          .default([...DIRECTORY_KINDS])
          .transform(unique),
        /** How many more nodes a listing we publish or receive may travel through (0 = direct peers only). */
        hopLimit: z
          .number({ error: "must be a number" })
          .int({ error: "must be a whole number" })
          .min(0, { error: `must be between 0 and ${MAX_HOP_LIMIT}` })
          .max(MAX_HOP_LIMIT, { error: `must be between 0 and ${MAX_HOP_LIMIT}` })
          .default(1),
      },
      { error: objectError("acceptKinds and hopLimit") },
    )
    .default({ acceptKinds: [...DIRECTORY_KINDS], hopLimit: 1 }),
  licences: z.array(SpdxIdSchema, { error: "must be a list of SPDX licence identifiers" }).max(100, { error: "must list at most 100 licences" }).default([]).transform(unique),
  moderation: z.string({ error: "must be text" }).max(20_000, { error: "must be at most 20000 characters" }).default(""),
  contact: z.string({ error: "must be text" }).trim().max(500, { error: "must be at most 500 characters" }).default(""),
}, { error: objectError("registration, federation, directory, licences, moderation, contact") });
export type CharterInput = z.input<typeof CharterInput>;
export type CharterDocument = z.output<typeof CharterInput>;

/** A new version as an admin submits it: the rules, a note saying why, and the version it was edited from. */
export const CharterUpdateSchema = CharterInput.extend({
  note: z.string({ error: "must be text" }).trim().max(500, { error: "must be at most 500 characters" }).default(""),
  /** Optimistic concurrency: the version the admin edited; a newer current version makes the save a conflict. */
  basedOn: z.number({ error: "must be a version number" }).int({ error: "must be a whole number" }).positive({ error: "must be a version number" }).optional(),
});
export type CharterUpdateInput = z.output<typeof CharterUpdateSchema>;

/** The first version: REGISTRATION from the environment, open federation, every kind, one hop. */
export function defaultCharter(registration: CharterDocument["registration"]): CharterDocument {
  return CharterInput.parse({ registration, federation: { mode: "open" }, directory: {} });
}
