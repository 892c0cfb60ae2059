import { z } from "zod";

/** Which follower a maintainer removes: their `user@host` handle or their actor IRI. */
export const RemoveFollowerSchema = z
  .object({
    acct: z
      .string()
      .trim()
      .max(300, { error: "must be at most 300 characters" })
      .regex(/^@?[^@\s]+@[^@\s]+$/, { error: "must look like user@host" })
      .optional(),
    iri: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000, { error: "must be at most 2000 characters" }).optional(),
  })
  .refine((v) => (v.acct === undefined) !== (v.iri === undefined), { error: "give exactly one of acct or iri" });
export type RemoveFollowerInput = z.output<typeof RemoveFollowerSchema>;

/** Paging of a followers listing: `limit` items after the opaque `cursor` of the previous page. */
export const FollowerListQuerySchema = z.object({
  limit: z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1, { error: "must be at least 1" }).max(200, { error: "must be at most 200" }).default(40),
  cursor: z.string().regex(/^\d{1,15}$/, { error: "is not a cursor from a previous page" }).optional(),
});

export const FollowerIdSchema = z.coerce.number({ error: "must be a follower id" }).int({ error: "must be a follower id" }).positive({ error: "must be a follower id" }).max(Number.MAX_SAFE_INTEGER, { error: "must be a follower id" });
