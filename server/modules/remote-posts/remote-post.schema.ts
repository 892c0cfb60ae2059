import { z } from "zod";

/**
 * A post from another server as we store it. federation/ translates the received Note (sanitising
 * its HTML) and every draft passes this schema before it is stored (docs/architecture.md#conventions): bounded sizes,
 * web URLs only, at most four attachments, Mastodon's date range.
 */

export const MAX_IRI = 2048;
export const MAX_CONTENT_HTML = 262_144;
export const MAX_SUMMARY = 2000;
export const MAX_ALT = 1500;
export const MAX_ATTACHMENTS = 4;

const webUrl = z
  .string()
  .max(MAX_IRI)
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  }, { error: "must be an http(s) URL" });

const dimension = z.number().int().min(0).max(100_000).nullable();

export const RemoteAttachmentSchema = z.object({
  url: webUrl,
  mediaType: z.string().max(100).regex(/^[\w.+-]+\/[\w.+-]+$/).nullable(),
  alt: z.string().max(MAX_ALT).nullable(),
  width: dimension,
  height: dimension,
  blurhash: z.string().max(100).regex(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]+$/).nullable(),
});

/** Mastodon keeps `published` in years 0–9999 (status_parser.rb). */
const publishedAt = z.date().refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 0 && d.getUTCFullYear() <= 9999, {
  error: "must be a date between year 0 and 9999",
});

export const RemotePostDraftSchema = z.object({
  iri: webUrl,
  authorRemoteActorId: z.number().int().positive(),
  inReplyToIri: webUrl.nullable(),
  /** Set when it replies to one of our notes: it is then shown under that note. */
  replyToNoteId: z.string().max(64).nullable(),
  url: webUrl.nullable(),
  contentHtml: z.string().max(MAX_CONTENT_HTML),
  /** A content warning, plain text. */
  summary: z.string().max(MAX_SUMMARY).nullable(),
  sensitive: z.boolean(),
  attachments: z.array(RemoteAttachmentSchema).max(MAX_ATTACHMENTS),
  publishedAt,
});
export type RemotePostDraft = z.output<typeof RemotePostDraftSchema>;
