import { html } from "hono/html";
import type { JsonChange } from "../../server/modules/charter/charter-diff.ts";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

export interface CharterDiffPageProps {
  readonly page: PageContext;
  readonly from: number;
  readonly to: number;
  /** Every version number, newest first, for choosing what to compare. */
  readonly versions: readonly number[];
  readonly changes: readonly JsonChange[];
}

const PATH_WORDS: Record<string, string> = {
  registration: "Joining",
  "federation.mode": "Federation mode",
  "federation.allow": "Allowed hosts",
  "federation.block": "Blocked hosts",
  "directory.acceptKinds": "Accepted listing kinds",
  "directory.hopLimit": "Hop limit",
  licences: "Licences",
  moderation: "Moderation rules",
  contact: "Contact",
};

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map(String).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** What changed between two versions of the charter, rule by rule. */
export function CharterDiffPage(props: CharterDiffPageProps) {
  const option = (n: number, selected: number) => html`<option value="${n}" ${n === selected ? "selected" : ""}>Version ${n}</option>`;
  return Layout({
    title: `Charter changes ${props.from} → ${props.to} · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="charter-diff" data-from="${props.from}" data-to="${props.to}">
      <h1>Charter changes</h1>
      <p>From <a href="/charter/v${props.from}">version ${props.from}</a> to <a href="/charter/v${props.to}">version ${props.to}</a>.</p>
      <form method="get" action="/charter/diff" class="inline compare">
        <label for="from">From</label> <select id="from" name="from">${props.versions.map((n) => option(n, props.from))}</select>
        <label for="to">to</label> <select id="to" name="to">${props.versions.map((n) => option(n, props.to))}</select>
        <button type="submit">Compare</button>
      </form>
      ${props.changes.length === 0
        ? html`<p class="no-changes">The two versions have the same rules.</p>`
        : html`<table class="charter-changes">
            <thead><tr><th scope="col">Rule</th><th scope="col">Version ${props.from}</th><th scope="col">Version ${props.to}</th></tr></thead>
            <tbody>
              ${props.changes.map(
                (c) => html`<tr data-path="${c.path}">
                  <th scope="row">${PATH_WORDS[c.path] ?? c.path}</th>
                  <td class="old"><del>${valueText(c.old)}</del></td>
                  <td class="new"><ins>${valueText(c.new)}</ins></td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      <p><a href="/charter">The charter in force</a></p>
    </section>`,
  });
}
