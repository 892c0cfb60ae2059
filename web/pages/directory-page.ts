import { html, raw } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

/** The search form's fields as typed (re-shown with the results or the errors). */
export interface DirectoryFormValues {
  readonly q: string;
  readonly tags: string;
  readonly kind: string;
  readonly node: string;
  readonly lat: string;
  readonly lon: string;
  readonly radius_km: string;
  readonly sort: string;
  readonly licence: string;
  readonly made_near: string;
  readonly made_radius_km: string;
}

/** What a design's card shows besides the common fields. */
export interface DirectoryDesignBadges {
  readonly licence: string | null;
  readonly latestVersion: string | null;
  readonly madeCount: number;
  /** Where it was made, drawn on the map as smaller markers. */
  readonly madePlaces: readonly { readonly latitude: number; readonly longitude: number }[];
}

export interface DirectoryResultItem {
  readonly name: string;
  readonly url: string;
  readonly kind: string;
  /** Plain text, shortened. */
  readonly summary: string;
  readonly tags: readonly string[];
  /** "Guillotière, Lyon, FR" or null. */
  readonly place: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly originHost: string;
  readonly origin: string;
  readonly local: boolean;
  readonly distanceKm: number | undefined;
  /** Only for designs. */
  readonly design: DirectoryDesignBadges | null;
}

export interface DirectoryPageProps {
  readonly page: PageContext;
  readonly values: DirectoryFormValues;
  readonly errors: FieldErrors;
  readonly kinds: readonly string[];
  /** Nodes with entries here, for the node choice. */
  readonly nodes: readonly { readonly host: string; readonly entries: number }[];
  readonly total: number;
  readonly items: readonly DirectoryResultItem[];
  readonly previousUrl: string | null;
  readonly nextUrl: string | null;
  readonly firstIndex: number;
  /** The tile URL template and the attribution the map script shows. */
  readonly map: { readonly tileUrl: string; readonly attribution: string };
}

const LABELS: Record<string, string> = {
  q: "Search",
  tags: "Tags",
  kind: "Kind",
  node: "Node",
  lat: "Latitude",
  lon: "Longitude",
  radius_km: "Within (km)",
  sort: "Order",
  licence: "Licence",
  made_near: "Made near (lat,lon)",
  made_radius_km: "Made within, km",
};

/**
 * The directory: a search form that works without JavaScript, the results as a list, and the same
 * results on a map drawn by /static/directory-map.js. The script reads them from a JSON data block,
 * which the CSP (`script-src 'self'`) allows since a browser never executes `application/json`.
 */
export function DirectoryPage(props: DirectoryPageProps) {
  const located = props.items.filter((i) => (i.latitude !== null && i.longitude !== null) || (i.design?.madePlaces.length ?? 0) > 0);
  return Layout({
    title: "Directory",
    page: props.page,
    head: html`<link rel="stylesheet" href="/static/leaflet/leaflet.css">
      <link rel="stylesheet" href="/static/directory.css">
      <script src="/static/leaflet/leaflet.js" defer></script>
      <script src="/static/directory-map.js" defer></script>`,
    body: html`<h1>Directory</h1>
      <p class="muted">Projects and designs on this node and on the nodes it is connected to.</p>
      ${ErrorSummary({ errors: props.errors, labels: LABELS })}
      ${SearchForm(props)}
      <section class="directory" aria-labelledby="results-heading">
        <h2 id="results-heading">${props.total === 1 ? "1 result" : `${props.total} results`}</h2>
        ${located.length > 0
          ? html`<div id="directory-map" class="directory-map" role="region" aria-label="Map of the results"
              data-tile-url="${props.map.tileUrl}" data-attribution="${props.map.attribution}"></div>
              <script type="application/json" id="directory-results">${raw(jsonForScript(located.map(mapItem)))}</script>`
          : ""}
        ${ResultList(props)}
        ${Pagination(props)}
      </section>`,
  });
}

function SearchForm(props: DirectoryPageProps) {
  const { values, errors } = props;
  const nodes = props.nodes.some((n) => n.host === values.node) || values.node === "" ? props.nodes : [...props.nodes, { host: values.node, entries: 0 }];
  return html`<form class="directory-search" method="get" action="/directory" role="search" novalidate>
    ${Field({ name: "q", label: "Search", value: values.q, errors, maxlength: 200, hint: "Names, descriptions, places; small typos are fine." })}
    ${Field({ name: "tags", label: "Tags", value: values.tags, errors, hint: "Comma-separated; results have all of them." })}
    ${Select("kind", "Kind", values.kind, errors, [["", "Any kind"], ...props.kinds.map((k) => [k, k] as [string, string])])}
    ${Select("node", "Node", values.node, errors, [["", "Any node"], ...nodes.map((n) => [n.host, n.entries > 0 ? `${n.host} (${n.entries})` : n.host] as [string, string])])}
    <fieldset class="directory-near">
      <legend>Near a place</legend>
      ${Field({ name: "lat", label: "Latitude", value: values.lat, errors, hint: "e.g. 45.764" })}
      ${Field({ name: "lon", label: "Longitude", value: values.lon, errors, hint: "e.g. 4.8357" })}
      ${Field({ name: "radius_km", label: "Within (km)", value: values.radius_km, errors, hint: "Leave empty for any distance." })}
    </fieldset>
    <fieldset class="directory-designs">
      <legend>Designs</legend>
      ${Field({ name: "licence", label: "Licence", value: values.licence, errors, maxlength: 100, hint: "An SPDX identifier, e.g. CERN-OHL-S-2.0." })}
      ${Field({ name: "made_near", label: "Made near (lat,lon)", value: values.made_near, errors, maxlength: 60, hint: "e.g. 45.764,4.8357" })}
      ${Field({ name: "made_radius_km", label: "Made within, km", value: values.made_radius_km, errors, hint: "Built at least once this close." })}
    </fieldset>
    ${Select("sort", "Order", values.sort, errors, [["", "Best first"], ["relevance", "Relevance"], ["distance", "Distance"]])}
    <button type="submit">Search</button>
  </form>`;
}

function Select(name: string, label: string, value: string, errors: FieldErrors, options: readonly [string, string][]) {
  const error = errors[name];
  return html`<label for="${name}">${label}
    <select id="${name}" name="${name}" ${error ? html`aria-invalid="true" aria-describedby="${name}-error"` : ""}>
      ${options.map(([v, text]) => html`<option value="${v}" ${v === value ? "selected" : ""}>${text}</option>`)}
    </select>
    ${error ? html`<span class="field-error" id="${name}-error">${error}</span>` : ""}
  </label>`;
}

function ResultList(props: DirectoryPageProps) {
  if (props.items.length === 0) return html`<p class="muted directory-empty">Nothing matches this search.</p>`;
  return html`<ol class="directory-results" start="${props.firstIndex}">
    ${props.items.map(
      (item) => html`<li class="card directory-result">
        <a class="entry-name" href="${item.url}">${item.name}</a>
        <span class="entry-kind">${item.kind}</span>
        ${item.distanceKm !== undefined ? html`<span class="entry-distance">${formatKm(item.distanceKm)}</span>` : ""}
        ${item.design ? DesignBadges(item.design) : ""}
        ${item.summary ? html`<p class="entry-summary">${item.summary}</p>` : ""}
        ${item.place ? html`<p class="entry-place muted">${item.place}</p>` : ""}
        ${item.tags.length > 0 ? html`<p class="entry-tags muted">${item.tags.map((t) => `#${t}`).join(" ")}</p>` : ""}
        <p class="entry-origin muted">${item.local ? "On this node" : html`From <a href="${item.origin}">${item.originHost}</a>`}</p>
      </li>`,
    )}
  </ol>`;
}

/** A design's licence (linking to its SPDX page), latest version and how many times it was made. */
function DesignBadges(design: DirectoryDesignBadges) {
  return html`<p class="entry-design">
    ${design.licence ? html`<a class="entry-licence" href="https://spdx.org/licenses/${design.licence}.html" rel="nofollow noopener">${design.licence}</a>` : ""}
    ${design.latestVersion ? html`<span class="entry-version">v${design.latestVersion}</span>` : html`<span class="entry-version muted">no release yet</span>`}
    <span class="entry-made">${design.madeCount > 0 ? `made ${design.madeCount}×` : "not made yet"}</span>
  </p>`;
}

function Pagination(props: DirectoryPageProps) {
  if (props.previousUrl === null && props.nextUrl === null) return "";
  return html`<nav class="pagination" aria-label="Result pages">
    ${props.previousUrl ? html`<a rel="prev" href="${props.previousUrl}">Previous</a>` : ""}
    ${props.nextUrl ? html`<a rel="next" href="${props.nextUrl}">Next</a>` : ""}
  </nav>`;
}

export function formatKm(km: number): string {
  return `${km.toLocaleString("en", { maximumFractionDigits: 1, minimumFractionDigits: km < 100 ? 1 : 0 })} km`;
}

function mapItem(item: DirectoryResultItem) {
  return {
    name: item.name,
    url: item.url,
    lat: item.latitude,
    lon: item.longitude,
    origin: item.local ? null : item.originHost,
    distanceKm: item.distanceKm ?? null,
    place: item.place,
    made: (item.design?.madePlaces ?? []).map((p) => [p.latitude, p.longitude]),
  };
}

/**
 * JSON safe inside a <script> element: nothing in it can close the element or start a comment
 * (`<` `>` `&` escaped), and the two line separators JavaScript once rejected are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
