import { z } from "zod";
import type { BomLine, ForkLink } from "../../db/database.ts";

const httpUrl = (what: string) =>
  z
    .string({ error: `must be the URL of ${what}` })
    .trim()
    .max(2048, { error: "must be at most 2048 characters" })
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: `must be an http(s) URL of ${what}` });

/** POST /api/v1/designs/forks: fork a release published on another node (or here) by its URL. */
export const ForkRequestSchema = z.strictObject(
  {
    source: httpUrl("a design release, e.g. https://city.example/@solar-dryer/releases/2.1.0"),
    /** The new design's handle; the source design's handle when absent. */
    handle: z.string().trim().min(1).max(64).optional(),
    name: z.string().trim().min(1, { error: "must not be empty" }).max(200, { error: "must be at most 200 characters" }).optional(),
    /** Only for a source whose licence is not share-alike; the source's licence when absent. */
    licence: z.string().trim().min(1).max(100).optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has no field ${issue.keys.map((k) => `“${k}”`).join(", ")} (the fields are source, handle, name, licence)` : "must be an object with source, and optionally handle, name, licence") },
);
export type ForkRequest = z.infer<typeof ForkRequestSchema>;

/** A SHA-256 digest as lowercase hex, as release attachments declare it. */
const Sha256 = z.string().transform((v) => v.toLowerCase()).pipe(z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a SHA-256 digest (64 hexadecimal characters)" }));

/** One file of a remote release: where to download it and the hash its bytes must have. */
export const RemoteFileSchema = z.object({
  name: z.string().min(1, { error: "a file has no name" }).max(255, { error: "a file name is longer than 255 characters" }),
  href: httpUrl("a release file"),
  sha256: Sha256,
  size: z.number().int().nonnegative().nullable(),
  mediaType: z.string().max(255).default("application/octet-stream"),
  role: z.string().max(100).nullable(),
});
export type RemoteFile = z.infer<typeof RemoteFileSchema>;

export const ForkLinkSchema: z.ZodType<ForkLink> = z.object({
  release: httpUrl("a release"),
  design: httpUrl("a design"),
  name: z.string().max(200),
  host: z.string().max(260),
  licence: z.string().max(100),
});

/** At most this many links back to the original: a longer chain is refused rather than walked. */
export const MAX_CHAIN_LINKS = 20;
/** At most this many files in a forked release, as a release accepts. */
export const MAX_REMOTE_FILES = 200;

const BomLineSchema: z.ZodType<BomLine> = z.object({
  part: z.string().max(500),
  quantity: z.number().finite(),
  unit: z.string().max(50),
  material: z.string().max(200).nullable(),
  source: z.string().max(500).nullable(),
  link: z.string().max(2048).nullable(),
});

/** A release fetched from another node, parsed (federation/design-forks/) into our terms. */
export const RemoteReleaseSchema = z.object({
  iri: httpUrl("a release"),
  version: z.string({ error: "the release names no version" }).min(1, { error: "the release names no version" }).max(64, { error: "the version is longer than 64 characters" }),
  designIri: httpUrl("the release's design (its context)"),
  licence: z.string({ error: "the release names no SPDX licence" }).min(1, { error: "the release names no SPDX licence" }).max(100),
  documentationLicence: z.string().max(100).nullable(),
  notesMarkdown: z.string().max(100_000),
  trl: z.string().max(50).nullable(),
  drl: z.string().max(50).nullable(),
  bom: z.array(BomLineSchema).max(1000),
  files: z
    .array(RemoteFileSchema)
    .max(MAX_REMOTE_FILES, { error: `the release has more than ${MAX_REMOTE_FILES} files` })
    // Checked before anything is stored: the designs service would refuse the release only after the design exists.
    .refine((files) => new Set(files.map((f) => f.name)).size === files.length, { error: "the release names a file twice" }),
});
export type RemoteRelease = z.infer<typeof RemoteReleaseSchema>;

/** A design actor fetched from another node (a `Service` with cn:concreteType DesignRepository). */
export const RemoteDesignSchema = z.object({
  iri: httpUrl("a design"),
  handle: z.string().max(64).nullable(),
  name: z.string().max(200),
  summaryMarkdown: z.string().max(100_000),
  function: z.string().max(10_000),
  tags: z.array(z.string().max(100)).max(50),
  licence: z.string().max(100).nullable(),
  licensor: z.string().max(500),
  url: httpUrl("a design page").nullable(),
  inbox: httpUrl("an inbox"),
  sharedInbox: httpUrl("an inbox").nullable(),
  forkOf: httpUrl("a release").nullable(),
  /** Its newest release, when the document names one. */
  currentRelease: httpUrl("a release").nullable(),
  forkChain: z.array(ForkLinkSchema).max(MAX_CHAIN_LINKS, { error: `the fork chain is longer than ${MAX_CHAIN_LINKS} links` }),
});
export type RemoteDesign = z.infer<typeof RemoteDesignSchema>;

/**
 * Another node's announcement that it forked one of our designs (or a fork of one), as the inbox
 * verified it: the fork design's own document was fetched from its origin, and names this release
 * and chain.
 */
export interface ForkClaim {
  readonly activityIri: string;
  readonly fork: RemoteDesign;
}
