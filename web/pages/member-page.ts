import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

export interface MemberPageProps {
  readonly page: PageContext;
  readonly displayName: string;
  /** The fediverse address, `@alice@node.example`. */
  readonly fediverseHandle: string;
  readonly bio: string;
  readonly avatarUrl: string | null;
  /** The ActivityPub document of the same member, for `<link rel="alternate">`. */
  readonly actorIri: string;
  readonly joined: Date;
  /** The viewer is this member: show the edit link. */
  readonly own: boolean;
}

/** A member's profile, on the same URL as their `Person` actor. The bio is plain text, escaped. */
export function MemberPage(props: MemberPageProps) {
  const paragraphs = props.bio.split(/\n{2,}/).map((p) => p.trim()).filter((p) => p.length > 0);
  return Layout({
    title: `${props.displayName} (${props.fediverseHandle})`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.actorIri}">`,
    body: html`<article class="member h-card">
      ${props.avatarUrl ? html`<img class="avatar u-photo" src="${props.avatarUrl}" alt="" width="64" height="64">` : ""}
      <h1 class="member-name p-name">${props.displayName}</h1>
      <p class="handle">${props.fediverseHandle}</p>
      <div class="member-bio p-note">${paragraphs.map((p) => html`<p style="white-space: pre-line">${p}</p>`)}</div>
      <p class="muted">Member since <time datetime="${props.joined.toISOString()}">${props.joined.toISOString().slice(0, 10)}</time>.
        Follow from any fediverse account by searching for <span class="handle">${props.fediverseHandle}</span>.</p>
      ${props.own ? html`<p><a href="/settings/profile">Edit your profile</a></p>` : ""}
    </article>`,
  });
}
