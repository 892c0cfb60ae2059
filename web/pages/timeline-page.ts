import { html, raw } from "hono/html";
import type { RemoteAttachment } from "../../server/db/database.ts";
import { Layout } from "../components/layout.ts";
import { RemoteAuthor } from "../components/remote-author.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, type FieldErrors } from "./account-form.ts";

export interface TimelineFollow {
  readonly iri: string;
  readonly acct: string;
  readonly name: string;
  readonly url: string | null;
  readonly state: "pending" | "accepted";
}

export interface TimelineEntry {
  readonly iri: string;
  readonly url: string;
  readonly author: { readonly iri: string; readonly acct: string; readonly name: string; readonly url: string | null; readonly avatar: string | null };
  /** Sanitised to the allowlist when received: inserted as HTML. */
  readonly contentHtml: string;
  readonly summary: string | null;
  /** Media marked sensitive are folded away, as Mastodon hides them. */
  readonly sensitive: boolean;
  readonly published: Date;
  readonly inReplyTo: string | null;
  readonly attachments: readonly RemoteAttachment[];
}

export interface TimelinePageProps {
  readonly page: PageContext;
  readonly follows: readonly TimelineFollow[];
  readonly items: readonly TimelineEntry[];
  /** Cursor of the next (older) page. */
  readonly next: string | null;
  /** The follow form's value and errors, when it failed. */
  readonly followTarget: string;
  readonly errors: FieldErrors;
  /** What just happened, after a redirect. */
  readonly notice: string | null;
  /** The reply that failed (its post's IRI) keeps its text and error. */
  readonly replyError: { readonly inReplyTo: string; readonly content: string; readonly message: string } | null;
}

const LABELS = { target: "Account to follow" };

/** A member's home: whom they follow, and the posts of those accounts with a reply form under each. */
export function TimelinePage(props: TimelinePageProps) {
  return Layout({
    title: `Timeline · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="timeline">
      <h1>Timeline</h1>
      ${props.notice ? html`<p class="notice" role="status">${props.notice}</p>` : ""}
      ${FollowForm(props)}
      ${FollowList(props)}
      <h2>Posts</h2>
      ${props.items.length === 0
        ? html`<p class="muted timeline-empty">Nothing yet. Posts of the accounts you follow appear here once they accept your follow.</p>`
        : props.items.map((item) => TimelineItem(item, props))}
      ${props.next ? html`<p><a rel="next" href="/timeline?before=${encodeURIComponent(props.next)}">Older posts</a></p>` : ""}
    </section>`,
  });
}

function FollowForm(props: TimelinePageProps) {
  const error = props.errors.target;
  return html`${ErrorSummary({ errors: props.errors, labels: LABELS })}
    <form method="post" action="/timeline/follow" class="stacked follow-form" novalidate>
      ${CsrfField({ token: props.page.csrfToken })}
      <label for="target">${LABELS.target}
        <span class="muted" id="target-hint">A handle like @alice@mastodon.social, or the URL of a profile or project</span>
        <input id="target" name="target" type="text" value="${props.followTarget}" required maxlength="2048"
          aria-describedby="target-hint${error ? " target-error" : ""}" ${error ? html`aria-invalid="true"` : ""}>
        ${error ? html`<span class="field-error" id="target-error">${error}</span>` : ""}
      </label>
      <button type="submit">Follow</button>
    </form>`;
}

function FollowList(props: TimelinePageProps) {
  if (props.follows.length === 0) return html`<p class="muted">You do not follow anyone yet.</p>`;
  return html`<h2>Following</h2>
    <ul class="following">
      ${props.follows.map(
        (f) => html`<li class="following-item" data-state="${f.state}">
          ${RemoteAuthor({ name: f.name, handle: f.acct, iri: f.iri, url: f.url })}
          <span class="follow-state">${f.state === "accepted" ? "following" : "requested"}</span>
          <form method="post" action="/timeline/unfollow" class="inline">
            ${CsrfField({ token: props.page.csrfToken })}
            <input type="hidden" name="target" value="${f.iri}">
            <button type="submit">${f.state === "accepted" ? "Unfollow" : "Withdraw"}</button>
          </form>
        </li>`,
      )}
    </ul>`;
}

function TimelineItem(item: TimelineEntry, props: TimelinePageProps) {
  const failed = props.replyError?.inReplyTo === item.iri ? props.replyError : null;
  const fieldId = `reply-${hashId(item.iri)}`;
  return html`<article class="card timeline-item h-entry" data-iri="${item.iri}">
    <header>
      ${item.author.avatar ? html`<img class="avatar" src="${item.author.avatar}" alt="" width="48" height="48" loading="lazy">` : ""}
      <span class="p-author h-card">${RemoteAuthor({ name: item.author.name, handle: item.author.acct, iri: item.author.iri, url: item.author.url }, "author p-name")}</span>
      <a class="u-url" href="${item.url}" rel="nofollow noopener"><time class="dt-published" datetime="${item.published.toISOString()}">${item.published.toISOString().slice(0, 16).replace("T", " ")}</time></a>
    </header>
    ${item.summary || item.sensitive
      ? html`<details class="content-warning"><summary>${item.summary || "Sensitive content"}</summary>${Body(item)}</details>`
      : Body(item)}
    <form method="post" action="/timeline/reply" class="stacked reply-form" novalidate>
      ${CsrfField({ token: props.page.csrfToken })}
      <input type="hidden" name="inReplyTo" value="${item.iri}">
      <label for="${fieldId}">Reply
        <textarea id="${fieldId}" name="content" rows="2" required maxlength="5000"
          ${failed ? html`aria-invalid="true" aria-describedby="${fieldId}-error"` : ""}>${failed?.content ?? ""}</textarea>
        ${failed ? html`<span class="field-error" id="${fieldId}-error">${failed.message}</span>` : ""}
      </label>
      <button type="submit">Reply</button>
    </form>
  </article>`;
}

function Body(item: TimelineEntry) {
  return html`<div class="e-content">${raw(item.contentHtml)}</div>
    ${item.attachments.length === 0
      ? ""
      : html`<div class="attachments">
          ${item.attachments.map((a) =>
            a.mediaType?.startsWith("image/")
              ? html`<a href="${a.url}" rel="nofollow noopener"><img src="${a.url}" alt="${a.alt ?? ""}" loading="lazy"
                  ${a.width ? html`width="${a.width}"` : ""} ${a.height ? html`height="${a.height}"` : ""}></a>`
              : html`<a href="${a.url}" rel="nofollow noopener">${a.alt || "Attachment"}</a>`,
          )}
        </div>`}`;
}

/** A short stable id for form fields (IRIs are not valid ids). */
function hashId(value: string): string {
  let h = 0;
  for (let i = 0; i < value.length; i++) h = (Math.imul(31, h) + value.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
