import { html, raw } from "hono/html";
import { Layout } from "../components/layout.ts";
import { RemoteAuthor } from "../components/remote-author.ts";
import { Counts, formatDate, UpdateImages, type UpdateCardProps } from "../components/update-card.ts";
import type { PageContext } from "../page-context.ts";

export interface ReplyProps {
  readonly authorName: string;
  /** `alice@mastodon.example` */
  readonly authorHandle: string;
  readonly authorIri: string;
  readonly authorUrl: string | null;
  readonly avatarUrl: string | null;
  /** Allowlisted HTML. */
  readonly contentHtml: string;
  /** A content warning: plain text. */
  readonly summary: string | null;
  readonly url: string;
  readonly published: Date;
}

export interface UpdatePageProps {
  readonly page: PageContext;
  readonly project: { readonly handle: string; readonly name: string; readonly url: string; readonly fediverseHandle: string };
  readonly update: UpdateCardProps;
  readonly replies: readonly ReplyProps[];
  readonly canMaintain: boolean;
}

/** An update on the same URL as its `Note`, with the replies it got from the fediverse and counts. */
export function UpdatePage(props: UpdatePageProps) {
  const { update, project } = props;
  return Layout({
    title: `Update from ${project.name}`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${update.url}">`,
    body: html`<article class="update-page h-entry">
      <p class="update-author p-author h-card"><a class="u-url p-name" href="${project.url}">${project.name}</a>
        <span class="handle">${project.fediverseHandle}</span></p>
      ${update.pinned ? html`<p class="pinned muted">Pinned</p>` : ""}
      <div class="update-content e-content">${raw(update.contentHtml)}</div>
      ${UpdateImages(update.images)}
      <p class="muted"><time class="dt-published" datetime="${update.published.toISOString()}">${formatDate(update.published)}</time>
        ${update.edited ? html` · edited <time datetime="${update.edited.toISOString()}">${formatDate(update.edited)}</time>` : ""}</p>
      ${Counts(update.counts)}
      ${props.canMaintain ? MaintainerActions(props) : ""}
      <section class="replies" aria-labelledby="replies-heading">
        <h2 id="replies-heading">Comments</h2>
        ${props.replies.length === 0
          ? html`<p class="muted">No comments yet. Reply from your fediverse account to comment.</p>`
          : html`<ol class="reply-list">${props.replies.map(Reply)}</ol>`}
      </section>
    </article>`,
  });
}

function Reply(reply: ReplyProps) {
  const body = html`<div class="reply-content e-content">${raw(reply.contentHtml)}</div>`;
  return html`<li class="card reply h-entry">
    <p class="reply-author p-author h-card">
      ${reply.avatarUrl ? html`<img class="avatar u-photo" src="${reply.avatarUrl}" alt="" width="32" height="32" loading="lazy">` : ""}
      ${RemoteAuthor({ name: reply.authorName, handle: reply.authorHandle, iri: reply.authorIri, url: reply.authorUrl })}
    </p>
    ${reply.summary ? html`<details><summary>${reply.summary}</summary>${body}</details>` : body}
    <p class="muted"><a class="u-url" href="${reply.url}" rel="nofollow noopener"><time datetime="${reply.published.toISOString()}">${formatDate(reply.published)}</time></a></p>
  </li>`;
}

function MaintainerActions(props: UpdatePageProps) {
  const base = `/projects/${props.project.handle}/updates/${encodeURIComponent(updateIdOf(props.update.url))}`;
  const csrf = html`<input type="hidden" name="_csrf" value="${props.page.csrfToken}">`;
  return html`<div class="maintainer-actions">
    <a href="${base}/edit">Edit</a>
    <form method="post" action="${base}/pin" class="inline">
      ${csrf}<input type="hidden" name="pinned" value="${props.update.pinned ? "false" : "true"}">
      <button type="submit">${props.update.pinned ? "Unpin" : "Pin to the project"}</button>
    </form>
    <form method="post" action="${base}/delete" class="inline">
      ${csrf}<button type="submit">Delete</button>
    </form>
  </div>`;
}

function updateIdOf(url: string): string {
  return new URL(url).pathname.split("/").at(-1) ?? "";
}
