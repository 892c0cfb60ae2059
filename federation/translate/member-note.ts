import { Create, LanguageString, Mention, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import type { MemberNote } from "../../server/modules/notes/index.ts";
import { toInstant } from "./temporal.ts";

export interface MemberNoteUris {
  /** The Note's id, also its page. */
  readonly id: URL;
  /** The member's `Person`: author and sender. */
  readonly person: URL;
  readonly followers: URL;
}

/** The author of the post replied to, mentioned and addressed as Mastodon's composer does. */
export interface MentionedAuthor {
  readonly iri: string;
  /** `user@host` */
  readonly handle: string;
}

const LANGUAGE = "en";

/**
 * A member's reply as Mastodon writes one (tag_manager.rb, docs/mastodon.md#replies): attributed to the member,
 * public, with the parent's author and the member's followers in `cc`, `inReplyTo` set, and a
 * `Mention` tag of the parent's author (Mastodon notifies mentioned accounts that are addressed).
 */
export function toMemberNote(note: MemberNote, uris: MemberNoteUris, parentAuthor: MentionedAuthor | null): Note {
  return new Note({
    id: uris.id,
    url: uris.id,
    attribution: uris.person,
    published: toInstant(note.publishedAt),
    replyTarget: new URL(note.inReplyToIri),
    tos: [PUBLIC_COLLECTION],
    ccs: parentAuthor === null ? [uris.followers] : [new URL(parentAuthor.iri), uris.followers],
    contents: [note.contentHtml, new LanguageString(note.contentHtml, LANGUAGE)],
    sensitive: false,
    tags: parentAuthor === null ? [] : [new Mention({ href: new URL(parentAuthor.iri), name: `@${parentAuthor.handle}` })],
  });
}

/** `Create(Note)` with Mastodon's `<status>/activity` id; actor == attributedTo (docs/mastodon.md#notes). */
export function toMemberNoteCreate(note: Note, createId: URL, uris: MemberNoteUris, published: Date): Create {
  return new Create({
    id: createId,
    actor: uris.person,
    object: note,
    tos: note.toIds,
    ccs: note.ccIds,
    published: toInstant(published),
  });
}
