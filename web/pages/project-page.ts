import { html, raw } from "hono/html";
import { Layout } from "../components/layout.ts";
import { UpdateCard, type UpdateCardProps } from "../components/update-card.ts";
import type { PageContext } from "../page-context.ts";
import type { ProjectLocation } from "../../server/modules/projects/index.ts";

export interface ProjectPageProps {
  readonly page: PageContext;
  readonly handle: string;
  readonly name: string;
  /** `@bike-kitchen@node.example` */
  readonly fediverseHandle: string;
  /** The `Group` actor's id: this page's URL, for `<link rel="alternate">` and the follow form. */
  readonly actorIri: string;
  /** Allowlisted HTML (rendered Markdown). */
  readonly summaryHtml: string;
  readonly avatar: { readonly url: string; readonly alt: string } | null;
  readonly banner: { readonly url: string; readonly alt: string } | null;
  readonly tags: readonly { readonly name: string; readonly url: string }[];
  readonly location: ProjectLocation | null;
  /** Whether the project is in the node's directory (and so in its peers'). */
  readonly listed: boolean;
  readonly website: string | null;
  readonly maintainers: readonly { readonly handle: string; readonly name: string; readonly url: string }[];
  readonly followersCount: number;
  readonly archived: boolean;
  /** Pinned first, then newest first. */
  readonly updates: readonly UpdateCardProps[];
  /** The viewer maintains the project: show edit and post links. */
  readonly canMaintain: boolean;
}

/** A project, on the same URL as its `Group` actor: profile, updates and a follow box. */
export function ProjectPage(props: ProjectPageProps) {
  return Layout({
    title: `${props.name} (${props.fediverseHandle})`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.actorIri}">`,
    body: html`<article class="project h-card">
      ${props.banner ? html`<img class="banner" src="${props.banner.url}" alt="${props.banner.alt}">` : ""}
      <header class="project-header">
        ${props.avatar ? html`<img class="avatar u-photo" src="${props.avatar.url}" alt="${props.avatar.alt}" width="64" height="64">` : ""}
        <h1 class="project-name p-name">${props.name}</h1>
        <p class="handle">${props.fediverseHandle}</p>
        ${props.archived ? html`<p class="archived-notice card" role="status">This project is archived: it posts no new updates.</p>` : ""}
      </header>
      <div class="project-summary p-note">${raw(props.summaryHtml)}</div>
      ${ProjectFacts(props)}
      ${props.canMaintain ? MaintainerLinks(props) : ""}
      ${FollowBox(props)}
      <section class="project-updates" aria-labelledby="updates-heading">
        <h2 id="updates-heading">Updates</h2>
        ${props.updates.length === 0 ? html`<p class="muted">No updates yet.</p>` : props.updates.map(UpdateCard)}
      </section>
    </article>`,
  });
}

function ProjectFacts(props: ProjectPageProps) {
  const { location } = props;
  return html`<dl class="project-facts">
    ${props.tags.length > 0
      ? html`<dt>Tags</dt><dd class="project-tags">${props.tags.map((t) => html`<a href="${t.url}" class="hashtag" rel="tag">#${t.name}</a> `)}</dd>`
      : ""}
    ${location
      ? html`<dt>Location</dt><dd class="project-location h-adr">${location.name ? html`<span class="p-label">${location.name}</span>` : ""}
          ${Place(location)}
          <span class="muted">(<span class="p-latitude">${location.latitude}</span>, <span class="p-longitude">${location.longitude}</span>)</span></dd>
          ${location.bioregion ? html`<dt>Bioregion</dt><dd class="project-bioregion">${location.bioregion}</dd>` : ""}`
      : ""}
    <dt>Directory</dt>
    <dd class="project-listed">${props.listed
      ? html`Listed in <a href="/directory">the directory</a>`
      : html`Not listed in the directory`}</dd>
    ${props.website ? html`<dt>Website</dt><dd><a class="u-url project-website" href="${props.website}" rel="me nofollow noopener">${props.website}</a></dd>` : ""}
    <dt>Maintainers</dt>
    <dd class="project-maintainers">${props.maintainers.map((m) => html`<a href="${m.url}" class="maintainer">${m.name || m.handle}</a> `)}</dd>
    <dt>Followers</dt>
    <dd class="followers-count">${props.followersCount}</dd>
  </dl>`;
}

/** "Lyon, Auvergne-Rhône-Alpes, France", each part marked up as h-adr. */
function Place(location: NonNullable<ProjectPageProps["location"]>) {
  const parts = [
    location.locality && html`<span class="p-locality">${location.locality}</span>`,
    location.region && html`<span class="p-region">${location.region}</span>`,
    location.country && html`<span class="p-country-name" data-country="${location.country}">${countryName(location.country)}</span>`,
  ].filter((part) => part !== null && part !== "");
  if (parts.length === 0) return "";
  return html`<span class="project-place">${parts.map((part, i) => (i === 0 ? part : html`, ${part}`))}</span>`;
}

const COUNTRY_NAMES = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

function countryName(code: string): string {
  try {
    return COUNTRY_NAMES.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

function MaintainerLinks(props: ProjectPageProps) {
  return html`<p class="maintainer-links">
    ${props.archived ? "" : html`<a href="/projects/${props.handle}/updates/new">Post an update</a> · `}
    <a href="/projects/${props.handle}/edit">Edit the project</a>
  </p>`;
}

/**
 * "Follow from your fediverse account": the visitor's own server shows its follow page
 * (/authorize_follow looks up their WebFinger subscribe template).
 */
function FollowBox(props: ProjectPageProps) {
  return html`<section class="card follow-box" aria-labelledby="follow-heading">
    <h2 id="follow-heading">Follow from your fediverse account</h2>
    <p class="muted">Search for <span class="handle">${props.fediverseHandle}</span> on Mastodon or any fediverse server, or enter your address:</p>
    <form class="stacked" action="/authorize_follow" method="post">
      <input type="hidden" name="_csrf" value="${props.page.csrfToken}">
      <input type="hidden" name="target" value="${props.actorIri}">
      <label for="follow-acct">Your fediverse address
        <input id="follow-acct" name="acct" type="text" placeholder="@you@mastodon.example" autocomplete="username" required>
      </label>
      <button type="submit">Follow</button>
    </form>
  </section>`;
}
