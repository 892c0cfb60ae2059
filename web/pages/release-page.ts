import { html, raw } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

export interface ReleasePageProps {
  readonly page: PageContext;
  readonly design: { readonly name: string; readonly url: string };
  readonly version: string;
  /** The `Release` object's id: this page's URL, for `<link rel="alternate">`. */
  readonly iri: string;
  /** Allowlisted HTML (rendered Markdown). */
  readonly notesHtml: string;
  readonly licence: string;
  readonly publishedAt: Date;
  readonly files: readonly { readonly name: string; readonly url: string; readonly size: number }[];
}

/**
 * A release, on the same URL as its `Release` object: the minimum a browser needs (notes, licence,
 * files). The full release page (previews, bill of materials, made-here) replaces it.
 */
export function ReleasePage(props: ReleasePageProps) {
  return Layout({
    title: `${props.design.name} ${props.version}`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.iri}">`,
    body: html`<article class="release">
      <header>
        <h1><a href="${props.design.url}">${props.design.name}</a> ${props.version}</h1>
        <p><time datetime="${props.publishedAt.toISOString()}">${props.publishedAt.toISOString().slice(0, 10)}</time> · <span class="licence">${props.licence}</span></p>
      </header>
      <div class="release-notes">${raw(props.notesHtml)}</div>
      <ul class="release-files">${props.files.map((f) => html`<li><a href="${f.url}">${f.name}</a> (${f.size} bytes)</li>`)}</ul>
    </article>`,
  });
}
