import { html } from "hono/html";

/**
 * An SPDX licence id as a badge linking to its text on spdx.org (https://spdx.org/licenses/), so a
 * visitor can read what the licence allows. `LicenseRef-…` ids are private to a document and have no
 * page there, so they show without a link.
 */
export function LicenceBadge(props: { id: string; className?: string }) {
  const className = `licence-badge ${props.className ?? ""}`.trim();
  if (/^LicenseRef-/i.test(props.id)) return html`<span class="${className}" data-spdx="${props.id}">${props.id}</span>`;
  return html`<a class="${className}" rel="license" data-spdx="${props.id}" href="https://spdx.org/licenses/${encodeURIComponent(props.id)}.html">${props.id}</a>`;
}
