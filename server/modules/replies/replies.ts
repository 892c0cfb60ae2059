import type { Db } from "../../db/database.ts";
import { DomainError } from "../../platform/errors.ts";
import { uuidv7 } from "../../platform/ids.ts";
import { renderMarkdown } from "../../platform/text/markdown.ts";
import { insertMemberNote, type MemberNote } from "../notes/index.ts";
import { commitWithActivities } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import { findRemotePostByIri } from "../remote-posts/index.ts";
import type { ReplyInput } from "./reply.schema.ts";

/** The member who replies: their person actor. */
export interface ReplyAuthor {
  readonly actorId: number;
  readonly handle: string;
}

/** The post replied to, on another server, and its author (who is mentioned and receives the reply). */
export interface ReplyParent {
  readonly iri: string;
  readonly author: {
    readonly iri: string;
    /** `user@host` */
    readonly handle: string;
    readonly url: string | null;
    readonly inbox: string;
    readonly sharedInbox: string | null;
  };
}

/**
 * The outbox port of replies (federation/member-notes.ts): finding a post we have not stored, with a
 * GET signed by the member, and translating the reply to its `Create(Note)` drafts.
 */
export interface ReplyPort {
  isLocal(iri: string): boolean;
  resolveParent(member: ReplyAuthor, iri: string): Promise<ReplyParent | null>;
  /** The parent's author is an explicit recipient (its shared inbox preferred); the member's followers get it too. */
  buildCreate(member: ReplyAuthor, note: MemberNote, parent: ReplyParent): Promise<ActivityDraft[]>;
}

/**
 * A member replies to a post on another server: the reply is a note of the member's `Person`,
 * rendered from Markdown, mentioning the parent's author as Mastodon's composer does, and its
 * `Create` commits with it (transactional outbox).
 */
export async function postReply(db: Db, publicUrl: URL, member: ReplyAuthor, input: ReplyInput, port: ReplyPort): Promise<MemberNote> {
  if (port.isLocal(input.inReplyTo)) {
    throw new DomainError("invalid_input", "invalid_input", "inReplyTo: is a post on this node; replies here go to posts on other servers.");
  }
  const parent = await findParent(db, member, input.inReplyTo, port);
  const rendered = renderMarkdown(input.content, { tagBaseUrl: new URL("/tags/", publicUrl) });
  const note: MemberNote = {
    id: uuidv7(),
    authorActorId: member.actorId,
    authorHandle: member.handle,
    contentSource: input.content,
    contentHtml: withMention(rendered.html, parent.author),
    inReplyToIri: parent.iri,
    publishedAt: new Date(),
    deletedAt: null,
  };
  const drafts = await port.buildCreate(member, note, parent);
  await commitWithActivities(db, async (trx, emit) => {
    await insertMemberNote(trx, note);
    for (const draft of drafts) await emit(draft);
  });
  return note;
}

async function findParent(db: Db, member: ReplyAuthor, iri: string, port: ReplyPort): Promise<ReplyParent> {
  const stored = await findRemotePostByIri(db, iri);
  if (stored?.deletedAt != null) throw new DomainError("gone", "gone", `The post at ${iri} was deleted.`);
  if (stored !== undefined) return { iri: stored.iri, author: stored.author };
  const parent = await port.resolveParent(member, iri);
  if (parent === null) throw new DomainError("invalid_input", "invalid_input", `inReplyTo: no post found at ${iri}.`);
  return parent;
}

/**
 * Mastodon's mention markup (app/lib/text_formatter.rb), put at the start of the first paragraph:
 * `<span class="h-card" translate="no"><a href="…" class="u-url mention">@<span>user</span></a></span>`.
 */
export function withMention(html: string, author: ReplyParent["author"]): string {
  const username = author.handle.split("@")[0] ?? author.handle;
  const href = escapeAttribute(author.url ?? author.iri);
  const mention = `<span class="h-card" translate="no"><a href="${href}" class="u-url mention">@<span>${escapeAttribute(username)}</span></a></span>`;
  // `html` is already allowlisted (renderMarkdown); re-sanitising would replace the hashtags' rel="tag".
  return html.startsWith("<p>") ? `<p>${mention} ${html.slice(3)}` : `<p>${mention}</p>${html}`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
