import { html } from "hono/html";
import type { RegistrationMode } from "../../server/platform/config.ts";
import type { CharterDocument } from "../../server/modules/charter/charter.schema.ts";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

/** A charter version as the pages show it. */
export interface CharterView {
  readonly version: number;
  readonly document: CharterDocument;
  readonly note: string;
  readonly createdAt: Date;
  /** This version's permanent URL (its JSON-LD alternate too). */
  readonly url: string;
}

export interface CharterHistoryView {
  readonly version: number;
  readonly note: string;
  readonly createdAt: Date;
  readonly createdBy: string | null;
}

export interface CharterPageProps {
  readonly page: PageContext;
  readonly charter: CharterView;
  /** The version in force (differs from `charter.version` on an old version's page). */
  readonly currentVersion: number;
  readonly history: readonly CharterHistoryView[];
}

export const REGISTRATION_WORDS: Record<RegistrationMode, string> = {
  open: "Anyone may join: an account is active as soon as it is registered.",
  approval: "Anyone may ask to join; an admin approves each new account.",
  invite: "People join by invitation: registering needs an invite code from an admin.",
  closed: "Registration is closed.",
};

const FEDERATION_WORDS: Record<CharterDocument["federation"]["mode"], string> = {
  open: "This node federates with every server, except any host blocked below.",
  allowlist: "This node federates only with the hosts allowed below. Another node may ask to connect; an admin decides.",
  blocklist: "This node federates with every server except the hosts blocked below.",
};

export const dateText = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** The node's rules, in words: what the data of the charter means for members and other nodes. */
export function CharterRules(props: { document: CharterDocument }) {
  const { registration, federation, directory, licences, moderation, contact } = props.document;
  const hops = directory.hopLimit === 0 ? "only to and from direct peers" : `up to ${directory.hopLimit} ${directory.hopLimit === 1 ? "node" : "nodes"} beyond direct peers`;
  return html`<section class="charter-rules" aria-labelledby="rules-heading">
    <h2 id="rules-heading">Rules</h2>
    <h3>Joining</h3>
    <p class="charter-registration" data-mode="${registration}">${REGISTRATION_WORDS[registration]}</p>
    <h3>Federation</h3>
    <p class="charter-federation" data-mode="${federation.mode}">${FEDERATION_WORDS[federation.mode]}
      Activities from hosts it does not federate with are refused, and members cannot follow accounts there.</p>
    ${federation.mode === "allowlist" ? HostList({ heading: "Allowed hosts", hosts: federation.allow, cls: "charter-allow" }) : ""}
    ${HostList({ heading: "Blocked hosts", hosts: federation.block, cls: "charter-block" })}
    <h3>Directory</h3>
    <p class="charter-directory">Listings accepted from other nodes: <strong>${directory.acceptKinds.length === 0 ? "none" : directory.acceptKinds.join(", ")}</strong>.
      Listings travel ${hops}.</p>
    <h3>Licences</h3>
    ${licences.length === 0
      ? html`<p class="muted">No licence list yet.</p>`
      : html`<ul class="charter-licences">${licences.map((id) => html`<li><a href="https://spdx.org/licenses/${id}.html" rel="nofollow noopener">${id}</a></li>`)}</ul>`}
    <h3>Moderation</h3>
    ${moderation.trim() === "" ? html`<p class="muted">No moderation rules written yet.</p>` : html`<div class="charter-moderation">${Paragraphs(moderation)}</div>`}
    <h3>Contact</h3>
    ${contact === "" ? html`<p class="muted">None given.</p>` : html`<p class="charter-contact">${contact}</p>`}
  </section>`;
}

function HostList(props: { heading: string; hosts: readonly string[]; cls: string }) {
  return html`<h4>${props.heading}</h4>
    ${props.hosts.length === 0 ? html`<p class="muted ${props.cls}">None.</p>` : html`<ul class="${props.cls}">${props.hosts.map((h) => html`<li><code>${h}</code></li>`)}</ul>`}`;
}

/** Plain text, escaped, paragraph by paragraph (blank lines separate them). */
function Paragraphs(text: string) {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => html`<p>${p}</p>`);
}

/** The history, newest first, each version linked with the changes that made it. */
export function CharterHistory(props: { history: readonly CharterHistoryView[]; shown: number }) {
  return html`<section class="charter-history" aria-labelledby="history-heading">
    <h2 id="history-heading">History</h2>
    <ol reversed class="charter-versions">
      ${props.history.map(
        (v) => html`<li data-version="${v.version}">
          ${v.version === props.shown ? html`<strong>Version ${v.version}</strong>` : html`<a href="/charter/v${v.version}">Version ${v.version}</a>`}
          <span class="muted"><time datetime="${v.createdAt.toISOString()}">${dateText(v.createdAt)}</time>${v.createdBy ? html` by @${v.createdBy}` : ""}</span>
          ${v.note ? html`: ${v.note}` : ""}
          ${v.version > 1 ? html` · <a class="diff-link" href="/charter/diff?from=${v.version - 1}&amp;to=${v.version}">changes</a>` : ""}
        </li>`,
      )}
    </ol>
  </section>`;
}

/** The charter at `/charter` (current) or `/charter/v{n}`: the rules in words and the history. */
export function CharterPage(props: CharterPageProps) {
  const { charter } = props;
  const old = charter.version !== props.currentVersion;
  return Layout({
    title: `Charter · ${props.page.nodeName}`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${charter.url}">`,
    body: html`<article class="charter" data-version="${charter.version}">
      <h1>Charter of ${props.page.nodeName}</h1>
      <p class="charter-meta">Version <strong class="charter-version">${charter.version}</strong>, in force since
        <time datetime="${charter.createdAt.toISOString()}">${dateText(charter.createdAt)}</time>.
        Permanent link: <a href="${charter.url}">${charter.url}</a>.</p>
      ${old
        ? html`<p class="notice" role="status">This is an earlier version. <a href="/charter">The charter in force</a> is version ${props.currentVersion}.</p>`
        : ""}
      ${charter.note ? html`<p class="charter-note">${charter.note}</p>` : ""}
      ${CharterRules({ document: charter.document })}
      ${CharterHistory({ history: props.history, shown: charter.version })}
      <p class="muted">Machines read this charter as JSON-LD at the same address (Accept: application/activity+json) and through
        <a href="/api/v1/charter">the API</a>.</p>
    </article>`,
  });
}
