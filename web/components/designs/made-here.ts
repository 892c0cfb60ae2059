import { html, raw } from "hono/html";

export interface MadeReportItem {
  readonly place: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly madeAt: Date;
  readonly facility: string | null;
  readonly reporterName: string;
  /** The reporter's profile, on whatever node they are. */
  readonly reporterUrl: string | null;
  /** The version built, when the list covers several releases. */
  readonly version: string | null;
  /** The node the report came from. */
  readonly host: string;
  /** Allowlisted HTML. */
  readonly notesHtml: string;
  readonly deviations: string;
  readonly photos: readonly { readonly url: string; readonly alt: string }[];
}

export interface MadeHereProps {
  readonly reports: readonly MadeReportItem[];
  readonly madeCount: number;
  readonly cityCount: number;
  readonly map: { readonly tileUrl: string; readonly attribution: string };
  /** "this design" or "this release", for the empty message. */
  readonly subject: string;
}

/**
 * Where it was built: counts, a Leaflet map (drawn by /static/made-map.js from a JSON data block, as
 * the directory's map is: no inline script under the CSP) and the same reports as a list, which is
 * all a visitor without JavaScript sees.
 */
export function MadeHere(props: MadeHereProps) {
  const points = props.reports.map((r) => ({ lat: r.latitude, lon: r.longitude, name: r.place, detail: [r.facility, r.version ? `v${r.version}` : null, formatDay(r.madeAt)].filter(Boolean).join(" · ") }));
  return html`<section class="made-here" aria-labelledby="made-heading">
    <h2 id="made-heading">Made here</h2>
    <p class="made-counts"><span class="made-count">${countText(props.madeCount, "build", "builds")}</span> in
      <span class="made-cities">${countText(props.cityCount, "city", "cities")}</span></p>
    ${props.reports.length === 0
      ? html`<p class="muted made-empty">Nobody has reported building ${props.subject} yet.</p>`
      : html`<div id="made-map" class="made-map" role="img" aria-label="Map of the places where it was built"
            data-tile-url="${props.map.tileUrl}" data-attribution="${props.map.attribution}"></div>
          <script type="application/json" id="made-points">${raw(jsonForScript(points))}</script>
          <ul class="made-list">${props.reports.map(MadeReport)}</ul>`}
  </section>`;
}

function MadeReport(r: MadeReportItem) {
  return html`<li class="made-report h-event">
    <p><strong class="made-place p-location">${r.place}</strong>${r.facility ? html` · <span class="made-facility">${r.facility}</span>` : ""}
      ${r.version ? html` · <span class="made-version">v${r.version}</span>` : ""}
      · <time class="dt-start" datetime="${r.madeAt.toISOString()}">${formatDay(r.madeAt)}</time></p>
    <p class="muted">Reported by ${r.reporterUrl ? html`<a href="${r.reporterUrl}" class="made-reporter">${r.reporterName || r.reporterUrl}</a>` : html`<span class="made-reporter">${r.reporterName}</span>`}
      on <span class="made-host">${r.host}</span></p>
    ${r.notesHtml ? html`<div class="made-notes">${raw(r.notesHtml)}</div>` : ""}
    ${r.deviations ? html`<p class="made-deviations"><strong>Deviations:</strong> ${r.deviations}</p>` : ""}
    ${r.photos.length > 0 ? html`<div class="made-photos">${r.photos.map((p) => html`<img src="${p.url}" alt="${p.alt}" loading="lazy">`)}</div>` : ""}
  </li>`;
}

export function countText(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** JSON inside <script type="application/json">: `<` escaped so no `</script>` can close it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}
