import { html, raw } from "hono/html";
import { countForks, type ForksTreeProps, ForksTree } from "../components/designs/forks-tree.ts";
import { formatBytes } from "../components/designs/format-bytes.ts";
import { LicenceBadge } from "../components/designs/licence-badge.ts";
import { countText, formatDay, MadeHere, type MadeHereProps } from "../components/designs/made-here.ts";
import { BomTable } from "../components/designs/bom-table.ts";
import { type ReleaseFileItem, ReleaseFiles } from "../components/designs/release-files.ts";
import { Layout } from "../components/layout.ts";
import type { BomLine } from "../../server/db/database.ts";
import type { PageContext } from "../page-context.ts";

export interface DesignReleaseItem {
  readonly version: string;
  readonly url: string;
  readonly publishedAt: Date;
  readonly licence: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly madeCount: number;
}

export interface DesignPageProps {
  readonly page: PageContext;
  readonly handle: string;
  readonly name: string;
  /** `@solar-dryer@node.example` */
  readonly fediverseHandle: string;
  /** The `Service` actor's id: this page's URL. */
  readonly actorIri: string;
  /** Allowlisted HTML (rendered Markdown). */
  readonly summaryHtml: string;
  readonly function: string;
  readonly tags: readonly { readonly name: string; readonly url: string }[];
  readonly licence: string;
  readonly documentationLicence: string | null;
  readonly licensor: string;
  readonly project: { readonly name: string; readonly url: string } | null;
  readonly maintainers: readonly { readonly handle: string; readonly name: string; readonly url: string }[];
  readonly followersCount: number;
  /** Newest version first. */
  readonly releases: readonly DesignReleaseItem[];
  /** The newest release's files and bill of materials, shown on the design page itself. */
  readonly latest: { readonly version: string; readonly url: string; readonly files: readonly ReleaseFileItem[]; readonly bom: readonly BomLine[] } | null;
  readonly forks: ForksTreeProps;
  readonly made: MadeHereProps;
  /** The viewer maintains the design: show the new-release link. */
  readonly canMaintain: boolean;
}

/** A design, on the same URL as its `Service` actor: what it is, under which licence, its releases, forks and builds. */
export function DesignPage(props: DesignPageProps) {
  return Layout({
    title: `${props.name} (${props.fediverseHandle})`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.actorIri}">
      <link rel="stylesheet" href="/static/designs.css">
      ${props.made.reports.length > 0 ? MapAssets() : ""}`,
    body: html`<article class="design h-product">
      <header class="design-header">
        <h1 class="design-name p-name">${props.name}</h1>
        <p class="handle">${props.fediverseHandle}</p>
        <p class="design-licence">${LicenceBadge({ id: props.licence, className: "design-licence-badge" })}</p>
      </header>
      <div class="design-summary p-description">${raw(props.summaryHtml)}</div>
      ${DesignFacts(props)}
      ${props.canMaintain ? html`<p class="maintainer-links"><a href="/@${props.handle}/releases/new">Publish a release</a></p>` : ""}
      ${Releases(props)}
      ${props.latest ? LatestRelease(props.latest) : ""}
      ${ForksTree(props.forks)}
      ${MadeHere(props.made)}
      ${FollowBox(props)}
    </article>`,
  });
}

/** Leaflet and the map script, loaded only when there is something to draw. */
export function MapAssets() {
  return html`<link rel="stylesheet" href="/static/leaflet/leaflet.css">
    <script src="/static/leaflet/leaflet.js" defer></script>
    <script src="/static/made-map.js" defer></script>`;
}

function DesignFacts(props: DesignPageProps) {
  return html`<dl class="project-facts design-facts">
    ${props.function ? html`<dt>Function</dt><dd class="design-function">${props.function}</dd>` : ""}
    ${props.tags.length > 0
      ? html`<dt>Tags</dt><dd class="design-tags">${props.tags.map((t) => html`<a href="${t.url}" class="hashtag" rel="tag">#${t.name}</a> `)}</dd>`
      : ""}
    <dt>Licence</dt><dd>${LicenceBadge({ id: props.licence })}</dd>
    ${props.documentationLicence ? html`<dt>Documentation licence</dt><dd class="design-doc-licence">${LicenceBadge({ id: props.documentationLicence })}</dd>` : ""}
    ${props.licensor ? html`<dt>Licensor</dt><dd class="design-licensor">${props.licensor}</dd>` : ""}
    ${props.project ? html`<dt>Project</dt><dd><a class="design-project" href="${props.project.url}">${props.project.name}</a></dd>` : ""}
    <dt>Maintainers</dt>
    <dd class="design-maintainers">${props.maintainers.map((m) => html`<a href="${m.url}" class="maintainer">${m.name || m.handle}</a> `)}</dd>
    <dt>Followers</dt><dd class="followers-count">${props.followersCount}</dd>
    <dt>Releases</dt><dd class="releases-count">${props.releases.length}</dd>
    <dt>Forks</dt><dd class="design-forks-count">${countForks(props.forks.forks)}</dd>
    <dt>Built</dt><dd class="design-made-count">${countText(props.made.madeCount, "time", "times")} in ${countText(props.made.cityCount, "city", "cities")}</dd>
  </dl>`;
}

function Releases(props: DesignPageProps) {
  return html`<section class="design-releases" aria-labelledby="releases-heading">
    <h2 id="releases-heading">Releases</h2>
    ${props.releases.length === 0
      ? html`<p class="muted releases-empty">No releases yet.</p>`
      : html`<ol class="release-list">${props.releases.map(
          (r) => html`<li class="release-item">
            <a class="release-link" href="${r.url}">Version ${r.version}</a>
            <span class="muted"><time datetime="${r.publishedAt.toISOString()}">${formatDay(r.publishedAt)}</time>
              · ${countText(r.fileCount, "file", "files")}, ${formatBytes(r.totalBytes)} · built ${countText(r.madeCount, "time", "times")}</span>
            ${LicenceBadge({ id: r.licence })}
          </li>`,
        )}</ol>`}
  </section>`;
}

function LatestRelease(latest: NonNullable<DesignPageProps["latest"]>) {
  return html`<section class="latest-release" aria-labelledby="latest-heading">
    <h2 id="latest-heading">Files of version ${latest.version}</h2>
    ${ReleaseFiles({ files: latest.files })}
    <p><a href="${latest.url}" class="latest-release-link">Downloads, readiness and build reports of version ${latest.version}</a></p>
    <h3>Bill of materials</h3>
    ${BomTable({ lines: latest.bom })}
  </section>`;
}

/** As on project pages: the visitor's own server shows its follow page (/authorize_follow). */
function FollowBox(props: DesignPageProps) {
  return html`<section class="card follow-box" aria-labelledby="follow-heading">
    <h2 id="follow-heading">Follow from your fediverse account</h2>
    <p class="muted">New releases and builds show in your home timeline. Search for <span class="handle">${props.fediverseHandle}</span> on Mastodon or any fediverse server, or enter your address:</p>
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
