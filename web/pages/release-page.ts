import { html, raw } from "hono/html";
import { BomTable } from "../components/designs/bom-table.ts";
import { formatBytes } from "../components/designs/format-bytes.ts";
import { LicenceBadge } from "../components/designs/licence-badge.ts";
import { readinessLabel } from "../components/designs/readiness-levels.ts";
import { formatDay, MadeHere, type MadeHereProps } from "../components/designs/made-here.ts";
import { type MadeFormValues, MadeReportForm } from "../components/designs/made-report-form.ts";
import { type ReleaseFileItem, ReleaseFiles } from "../components/designs/release-files.ts";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import type { FieldErrors } from "./account-form.ts";
import { MapAssets } from "./design-page.ts";
import type { BomLine } from "../../server/db/database.ts";

export interface ReleasePageProps {
  readonly page: PageContext;
  readonly design: { readonly handle: string; readonly name: string; readonly url: string };
  readonly version: string;
  /** The `Release` object's id: this page's URL, absolute (the URL to paste in another node's fork form). */
  readonly iri: string;
  readonly publishedAt: Date;
  readonly notesHtml: string;
  readonly trl: string | null;
  readonly drl: string | null;
  readonly licence: string;
  readonly documentationLicence: string | null;
  /** The release this one was forked from (on its own node), or null for an original. */
  readonly forkOf: string | null;
  readonly bom: readonly BomLine[];
  readonly files: readonly ReleaseFileItem[];
  readonly totalBytes: number;
  readonly downloads: { readonly manifest: string; readonly jsonLd: string; readonly zip: string };
  readonly made: MadeHereProps;
  /** Distinct city names, for the line under the counts. */
  readonly cities: readonly string[];
  /** Signed-in members get the report form; visitors a sign-in link. */
  readonly report: { readonly values: MadeFormValues; readonly errors: FieldErrors } | null;
}

/** One immutable release: notes, readiness, licence, BOM, files and downloads, builds, and how to fork or report it. */
export function ReleasePage(props: ReleasePageProps) {
  const action = `/@${props.design.handle}/releases/${encodeURIComponent(props.version)}/made`;
  return Layout({
    title: `${props.design.name} ${props.version}`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.iri}">
      <link rel="stylesheet" href="/static/designs.css">
      ${props.made.reports.length > 0 ? MapAssets() : ""}
      ${props.report ? html`<script src="/static/made-form.js" defer></script>` : ""}`,
    body: html`<article class="release">
      <p class="breadcrumb"><a href="${props.design.url}" class="release-design">${props.design.name}</a></p>
      <h1 class="release-title">Version <span class="release-version">${props.version}</span></h1>
      <dl class="project-facts release-facts">
        <dt>Published</dt><dd><time class="release-date" datetime="${props.publishedAt.toISOString()}">${formatDay(props.publishedAt)}</time></dd>
        <dt>Licence</dt><dd>${LicenceBadge({ id: props.licence, className: "release-licence" })}</dd>
        ${props.documentationLicence ? html`<dt>Documentation licence</dt><dd>${LicenceBadge({ id: props.documentationLicence, className: "release-doc-licence" })}</dd>` : ""}
        ${props.trl ? html`<dt>Technology readiness</dt><dd class="release-trl" data-level="${props.trl}">${readinessLabel(props.trl)}</dd>` : ""}
        ${props.drl ? html`<dt>Documentation readiness</dt><dd class="release-drl" data-level="${props.drl}">${readinessLabel(props.drl)}</dd>` : ""}
        ${props.forkOf ? html`<dt>Forked from</dt><dd><a class="release-fork-of" href="${props.forkOf}">${props.forkOf}</a></dd>` : ""}
        <dt>Size</dt><dd class="release-size">${formatBytes(props.totalBytes)}</dd>
      </dl>
      ${props.notesHtml ? html`<section class="release-notes" aria-labelledby="notes-heading"><h2 id="notes-heading">Notes</h2>${raw(props.notesHtml)}</section>` : ""}
      <section aria-labelledby="files-heading">
        <h2 id="files-heading">Files</h2>
        ${ReleaseFiles({ files: props.files })}
        <p class="release-downloads">Download:
          <a class="download-zip" href="${props.downloads.zip}">everything (zip)</a> ·
          <a class="download-manifest" href="${props.downloads.manifest}">Open Know-How manifest (okh.toml)</a> ·
          <a class="download-jsonld" href="${props.downloads.jsonLd}">manifest as JSON-LD</a></p>
      </section>
      <section aria-labelledby="bom-heading">
        <h2 id="bom-heading">Bill of materials</h2>
        ${BomTable({ lines: props.bom })}
      </section>
      ${MadeHere(props.made)}
      ${props.cities.length > 0 ? html`<p class="made-city-names muted">Cities: ${props.cities.join(", ")}</p>` : ""}
      ${props.report
        ? MadeReportForm({ action, csrfToken: props.page.csrfToken, values: props.report.values, errors: props.report.errors })
        : html`<p class="card report-sign-in">Built it? <a href="/login?next=${encodeURIComponent(new URL(props.iri).pathname)}">Log in</a> to report your build.</p>`}
      ${ForkHint(props)}
    </article>`,
  });
}

/**
 * Forking happens on the forker's own node, which fetches the release by its URL: here we show that
 * URL to copy, and members of this node get the form that forks a release of another node.
 */
function ForkHint(props: ReleasePageProps) {
  return html`<section class="card fork-hint" aria-labelledby="fork-heading">
    <h2 id="fork-heading">Fork this on your node</h2>
    <p>On your own node, open <strong>Fork a design</strong> and paste this release's address:</p>
    <label for="release-url">Release address
      <input id="release-url" class="release-url" type="text" readonly value="${props.iri}">
    </label>
    ${props.page.viewer ? html`<p class="muted">To fork a design published on another node, use <a href="/designs/fork">Fork a design</a> here.</p>` : ""}
  </section>`;
}
