import { html, raw } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

export interface MemberNotePageProps {
  readonly page: PageContext;
  readonly authorName: string;
  /** `@alice@node.example` */
  readonly authorHandle: string;
  readonly authorUrl: string;
  readonly noteIri: string;
  /** Rendered from Markdown through the allowlist: inserted as HTML. */
  readonly contentHtml: string;
  readonly inReplyTo: string;
  readonly published: Date;
}

/** A member's reply, on the same URL as its `Note`. */
export function MemberNotePage(props: MemberNotePageProps) {
  return Layout({
    title: `${props.authorName} (${props.authorHandle})`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.noteIri}">`,
    body: html`<article class="member-note h-entry">
      <p><a class="p-author" href="${props.authorUrl}">${props.authorName}</a> <span class="handle">${props.authorHandle}</span>
        replied to <a class="u-in-reply-to" href="${props.inReplyTo}" rel="nofollow noopener">a post</a>
        on <time class="dt-published" datetime="${props.published.toISOString()}">${props.published.toISOString().slice(0, 10)}</time>:</p>
      <div class="e-content">${raw(props.contentHtml)}</div>
    </article>`,
  });
}
