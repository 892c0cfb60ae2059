import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { LicenceBadge } from "./licence-badge.ts";

/** One link back towards the original: the release this design (or one before it) was forked from. */
export interface OriginLinkProps {
  readonly name: string;
  /** The release forked: its page on its own node. */
  readonly releaseUrl: string;
  readonly host: string;
  readonly licence: string;
}

/** A fork of this design on another node, with the forks made of it in turn. */
export interface ForkItemProps {
  readonly name: string;
  /** The fork's design page on its node. */
  readonly url: string;
  readonly host: string;
  readonly city: string | null;
  readonly licence: string;
  readonly children: readonly ForkItemProps[];
}

export interface ForksTreeProps {
  /** Oldest first: the original design's release, then each fork in between. */
  readonly origins: readonly OriginLinkProps[];
  readonly forks: readonly ForkItemProps[];
}

/**
 * Provenance both ways: "forked from … on <host>" back to the original, and the forks made of this
 * design on other nodes below it, each under the design it was forked from.
 */
export function ForksTree(props: ForksTreeProps) {
  const total = countForks(props.forks);
  return html`<section class="forks" aria-labelledby="forks-heading">
    <h2 id="forks-heading">Forks</h2>
    ${props.origins.length > 0
      ? html`<ol class="fork-origins">${[...props.origins].reverse().map(
          (o, i) => html`<li class="fork-origin">${i === 0 ? "Forked from" : "which was forked from"}
            <a href="${o.releaseUrl}" class="fork-origin-link">${o.name}</a> on <span class="fork-host">${o.host}</span>
            ${LicenceBadge({ id: o.licence })}</li>`,
        )}</ol>`
      : ""}
    ${total === 0
      ? html`<p class="muted forks-empty">No forks yet.</p>`
      : html`<p class="forks-count">${total === 1 ? "1 fork" : `${total} forks`}</p>${ForkList(props.forks)}`}
  </section>`;
}

export function countForks(forks: readonly ForkItemProps[]): number {
  return forks.reduce((n, f) => n + 1 + countForks(f.children), 0);
}

function ForkList(forks: readonly ForkItemProps[]): HtmlEscapedString | Promise<HtmlEscapedString> | "" {
  if (forks.length === 0) return "";
  return html`<ul class="fork-tree">${forks.map(
    (f) => html`<li class="fork-item">
      <a href="${f.url}" class="fork-link">${f.name}</a>
      <span class="fork-node">on <span class="fork-host">${f.host}</span></span>${f.city ? html`, <span class="fork-city">${f.city}</span>` : ""}
      ${LicenceBadge({ id: f.licence })}
      ${ForkList(f.children)}
    </li>`,
  )}</ul>`;
}
