import { html } from "hono/html";
import { LicenceBadge } from "./licence-badge.ts";

export interface DesignListItem {
  readonly name: string;
  readonly url: string;
  readonly fediverseHandle: string;
  /** Plain text, shortened. */
  readonly function: string;
  readonly licence: string;
  readonly latestVersion: string | null;
}

/** The node's designs on its front page: name, what it does, licence and newest version. */
export function DesignList(items: readonly DesignListItem[]) {
  if (items.length === 0) return "";
  return html`<section class="designs" aria-labelledby="designs-heading">
    <h2 id="designs-heading">Designs</h2>
    <ul class="projects design-list">${items.map(
      (d) => html`<li class="card design-item">
        <a class="design-link" href="${d.url}">${d.name}</a> <span class="handle">${d.fediverseHandle}</span>
        ${LicenceBadge({ id: d.licence })}
        ${d.function ? html`<p class="design-item-function">${d.function}</p>` : ""}
        <p class="muted design-item-version">${d.latestVersion ? `Version ${d.latestVersion}` : "No release yet"}</p>
      </li>`,
    )}</ul>
  </section>`;
}
