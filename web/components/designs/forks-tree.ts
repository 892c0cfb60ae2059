import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { LicenceBadge } from "./licence-badge.ts";

/** One link back towards the original: the release this design (or its parent) was forked from. */
export interface OriginLinkProps {
  readonly name: string;
  /** The release forked: its page on its own node. */
  readonly releaseUrl: string;
  readonly host: string;
  readonly licence: string;
}

/** A fork of this design, here or further down the chain, as its origin recorded it. */
export interface ForkItemProps {
  readonly name: string;
  /** The fork's design page on its node. */
  readonly url: string;
  /** The fork's design IRI, which its own forks name as their parent. */
  readonly designIri: string;
  readonly parentDesignIri: string;
  readonly host: string;
  readonly city: string | null;
  readonly licence: string;
}

export interface ForksTreeProps {
  /** Oldest first: the original design's release, then each fork in between. */
  readonly origins: readonly OriginLinkProps[];
  /** This design's IRI: the root the forks hang from. */
  readonly designIri: string;
  readonly forks: readonly ForkItemProps[];
}

/**
 * Provenance both ways: "forked from … on <host>" back to the original, and the forks made of this
 * design on other nodes below it, nested by parent (a fork of a fork sits under its parent).
 */
export function ForksTree(props: ForksTreeProps) {
  return html`<section class="forks" aria-labelledby="forks-heading">
    <h2 id="forks-heading">Forks</h2>
    ${props.origins.length > 0
      ? html`<ol class="fork-origins">${[...props.origins].reverse().map(
          (o, i) => html`<li class="fork-origin">${i === 0 ? "Forked from" : "which was forked from"}
            <a href="${o.releaseUrl}" class="fork-origin-link">${o.name}</a> on <span class="fork-host">${o.host}</span>
            ${LicenceBadge({ id: o.licence })}</li>`,
        )}</ol>`
      : ""}
    ${props.forks.length === 0
      ? html`<p class="muted forks-empty">No forks yet.</p>`
      : html`<p class="forks-count">${props.forks.length === 1 ? "1 fork" : `${props.forks.length} forks`}</p>${ForkList(props.forks, props.designIri, new Set())}`}
  </section>`;
}

function ForkList(forks: readonly ForkItemProps[], parent: string, seen: Set<string>): HtmlEscapedString | Promise<HtmlEscapedString> | "" {
  const children = forks.filter((f) => f.parentDesignIri === parent && !seen.has(f.designIri));
  // Forks whose parent is not in the list (recorded before the parent reached us) hang from the root.
  const orphans = seen.size === 0 ? forks.filter((f) => f.parentDesignIri !== parent && !forks.some((p) => p.designIri === f.parentDesignIri)) : [];
  const level = [...children, ...orphans];
  if (level.length === 0) return "";
  for (const f of level) seen.add(f.designIri);
  return html`<ul class="fork-tree">${level.map(
    (f) => html`<li class="fork-item">
      <a href="${f.url}" class="fork-link">${f.name}</a>
      <span class="fork-node">on <span class="fork-host">${f.host}</span></span>${f.city ? html`, <span class="fork-city">${f.city}</span>` : ""}
      ${LicenceBadge({ id: f.licence })}
      ${ForkList(forks, f.designIri, seen)}
    </li>`,
  )}</ul>`;
}
