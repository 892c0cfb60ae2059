import { html, raw } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

export interface DesignPageProps {
  readonly page: PageContext;
  readonly name: string;
  /** `@solar-dryer@node.example` */
  readonly fediverseHandle: string;
  /** The `Service` actor's id: this page's URL, for `<link rel="alternate">`. */
  readonly actorIri: string;
  /** Allowlisted HTML (rendered Markdown). */
  readonly summaryHtml: string;
  readonly licence: string;
  /** Newest first. */
  readonly releases: readonly { readonly version: string; readonly url: string; readonly publishedAt: Date }[];
}

/**
 * A design, on the same URL as its `Service` actor: the minimum a browser needs (name, licence,
 * releases). The full design page (files, bill of materials, forks, made-here map) replaces it.
 */
export function DesignPage(props: DesignPageProps) {
  return Layout({
    title: `${props.name} (${props.fediverseHandle})`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.actorIri}">`,
    body: html`<article class="design h-card">
      <header>
        <h1 class="p-name">${props.name}</h1>
        <p class="handle">${props.fediverseHandle}</p>
      </header>
      <div class="p-note">${raw(props.summaryHtml)}</div>
      <p class="licence">Licence: <span data-licence="${props.licence}">${props.licence}</span></p>
      <section aria-labelledby="releases-heading">
        <h2 id="releases-heading">Releases</h2>
        ${props.releases.length === 0
          ? html`<p class="muted">No releases yet.</p>`
          : html`<ul class="releases">${props.releases.map((r) => html`<li><a href="${r.url}">${r.version}</a> <time datetime="${r.publishedAt.toISOString()}">${r.publishedAt.toISOString().slice(0, 10)}</time></li>`)}</ul>`}
      </section>
    </article>`,
  });
}
