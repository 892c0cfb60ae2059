import { html } from "hono/html";
import type { BomLine } from "../../../server/db/database.ts";

/** A release's bill of materials: what to buy or make, how much, and where from. */
export function BomTable(props: { lines: readonly BomLine[] }) {
  if (props.lines.length === 0) return html`<p class="muted bom-empty">No bill of materials in this release.</p>`;
  return html`<div class="table-scroll"><table class="bom">
    <caption class="visually-hidden">Bill of materials</caption>
    <thead><tr><th scope="col">Part</th><th scope="col" class="number">Quantity</th><th scope="col">Unit</th><th scope="col">Material</th><th scope="col">Source</th><th scope="col">Link</th></tr></thead>
    <tbody>${props.lines.map(
      (line) => html`<tr class="bom-line">
        <td class="bom-part">${line.part}</td>
        <td class="bom-quantity number">${line.quantity}</td>
        <td class="bom-unit">${line.unit}</td>
        <td class="bom-material">${line.material ?? ""}</td>
        <td class="bom-source">${line.source ?? ""}</td>
        <td class="bom-link">${line.link ? html`<a href="${line.link}" rel="nofollow noopener">${linkLabel(line.link)}</a>` : ""}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

function linkLabel(link: string): string {
  try {
    return new URL(link).host;
  } catch {
    return link;
  }
}
