import { z } from "zod";
import { REGISTRATION_MODES } from "../../config.ts";

/** Directory kinds a node may accept (later issues add coops, designs and facilities as listings). */
export const DIRECTORY_KINDS = ["project", "coop", "design", "facility"] as const;
export const FEDERATION_MODES = ["open", "allowlist", "blocklist"] as const;

/** A peer as written in a charter: a host name (optionally with port), lower-cased. */
const PeerHost = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/^https?:\/\//, "").replace(/\/.*$/, ""))
  .pipe(z.string().regex(/^[a-z0-9.-]+(?::\d{1,5})?$/, { error: "must be a host name such as city.example (optionally with :port)" }));

/** An SPDX licence identifier (https://spdx.org/licenses/), or a LicenseRef-… of our own. */
const SpdxId = z.string().trim().regex(/^(?:[A-Za-z0-9.+-]+|LicenseRef-[A-Za-z0-9.-]+)$/, { error: "must be an SPDX licence identifier" });

/**
 * The node's rules as data (vocabulary-and-anchors §3.10). One named schema for the API, the admin
 * form and stored versions. Enforced at the federation edge, not only displayed.
 */
export const CharterInput = z.object({
  registration: z.enum(REGISTRATION_MODES, { error: `must be one of ${REGISTRATION_MODES.join(", ")}` }),
  federation: z.object({
    mode: z.enum(FEDERATION_MODES, { error: `must be one of ${FEDERATION_MODES.join(", ")}` }),
    /** Peers accepted in allowlist mode (others refused). */
    allow: z.array(PeerHost).max(1000).default([]),
    /** Peers refused in blocklist mode (and in open mode). */
    block: z.array(PeerHost).max(1000).default([]),
  }),
  directory: z.object({
    /** Kinds of listings accepted from peers. */
    acceptKinds: z.array(z.enum(DIRECTORY_KINDS)).max(DIRECTORY_KINDS.length).default([...DIRECTORY_KINDS]),
    /** How many more nodes a listing we publish or receive may travel through (0 = direct peers only). */
    hopLimit: z.number().int().min(0).max(5).default(1),
  }),
  licences: z.array(SpdxId).max(100).default([]),
  moderation: z.string().max(20_000).default(""),
  contact: z.string().max(500).default(""),
});
export type CharterInput = z.input<typeof CharterInput>;
export type CharterDocument = z.output<typeof CharterInput>;

/** The first version: REGISTRATION from the environment, open federation, every kind, one hop. */
export function defaultCharter(registration: CharterDocument["registration"]): CharterDocument {
  return CharterInput.parse({ registration, federation: { mode: "open" }, directory: {} });
}
