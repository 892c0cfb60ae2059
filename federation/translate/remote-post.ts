import type { DocumentLoader } from "@fedify/fedify";
import { Document, Link, type Note } from "@fedify/vocab";
import type { RemoteAttachment } from "../../server/db/database.ts";
import { MAX_ALT, MAX_ATTACHMENTS, MAX_SUMMARY, type RemotePostDraft } from "../../server/modules/remote-posts/remote-post.schema.ts";
import { htmlToText, sanitizeHtml } from "../../server/platform/text/sanitize-html.ts";
import { webUrl } from "./remote-actor.ts";

/** Where a received post belongs, decided by the inbox from `inReplyTo` and who follows its author. */
export interface RemotePostRouting {
  readonly authorRemoteActorId: number;
  readonly replyToNoteId: string | null;
}

/**
 * Mastodon's poll vote (vote_serializer.rb): a Note with a `name`, no `content`, replying to a
 * `Question`. It is not a reply and is never shown as one.
 */
export function isPollVote(note: Note): boolean {
  return note.name !== null && note.content === null && note.contents.length === 0 && note.replyTargetId !== null;
}

/**
 * A received Note as the draft we store (status_parser.rb, docs/mastodon.md#notes): content through Mastodon's
 * allowlist (the first of `contentMap` when there is no `content`), the content warning as plain
 * text, web URLs only, at most four media attachments (link previews and property values are not
 * media), `published` or the time of receipt. The draft is validated by the module before storing.
 */
export async function fromRemoteNote(note: Note, routing: RemotePostRouting, loaders: AttachmentLoaders): Promise<RemotePostDraft> {
  const content = note.content ?? note.contents[0] ?? "";
  const summary = note.summary === null ? "" : htmlToText(String(note.summary)).slice(0, MAX_SUMMARY);
  const published = note.published === null ? new Date() : new Date(note.published.epochMilliseconds);
  return {
    iri: note.id?.href ?? "",
    authorRemoteActorId: routing.authorRemoteActorId,
    inReplyToIri: webUrl(note.replyTargetId),
    replyToNoteId: routing.replyToNoteId,
    url: webUrl(linkHref(note.url)),
    contentHtml: sanitizeHtml(String(content)),
    summary: summary === "" ? null : summary,
    sensitive: note.sensitive ?? false,
    attachments: await fromAttachments(note, loaders),
    publishedAt: published,
  };
}

export interface AttachmentLoaders {
  readonly documentLoader: DocumentLoader;
  readonly contextLoader: DocumentLoader;
}

function linkHref(value: URL | Link | null | undefined): URL | null {
  if (value === null || value === undefined) return null;
  return value instanceof Link ? value.href : value;
}

/** Embedded media only: attachments given by IRI are not fetched (suppressed errors skip them). */
async function fromAttachments(note: Note, loaders: AttachmentLoaders): Promise<RemoteAttachment[]> {
  const attachments: RemoteAttachment[] = [];
  let seen = 0;
  for await (const item of note.getAttachments({ ...loaders, suppressError: true })) {
    if (++seen > 16 || attachments.length >= MAX_ATTACHMENTS) break;
    if (!(item instanceof Document)) continue;
    const url = webUrl(linkHref(item.url));
    if (url === null) continue;
    attachments.push({
      url,
      mediaType: item.mediaType !== null && /^[\w.+-]+\/[\w.+-]+$/.test(item.mediaType) ? item.mediaType.slice(0, 100) : null,
      alt: item.name === null ? null : String(item.name).slice(0, MAX_ALT),
      width: dimension(item.width),
      height: dimension(item.height),
      blurhash: null,
    });
  }
  return attachments;
}

function dimension(value: number | null): number | null {
  return value !== null && Number.isInteger(value) && value >= 0 && value <= 100_000 ? value : null;
}
