import { html } from "hono/html";
import { REGISTRATION_MODES } from "../../server/platform/config.ts";
import { DIRECTORY_KINDS, FEDERATION_MODES, MAX_HOP_LIMIT } from "../../server/modules/charter/charter.schema.ts";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";
import { REGISTRATION_WORDS } from "./charter-page.ts";
import { TextArea } from "./project-form-page.ts";

/** The charter form's fields as typed (re-shown after an error): lists are one item per line. */
export interface CharterFormValues {
  readonly registration: string;
  readonly federationMode: string;
  readonly allow: string;
  readonly block: string;
  readonly acceptKinds: readonly string[];
  readonly hopLimit: string;
  readonly licences: string;
  readonly moderation: string;
  readonly contact: string;
  readonly note: string;
  readonly basedOn: string;
}

export interface CharterFormPageProps {
  readonly page: PageContext;
  readonly currentVersion: number;
  readonly values: CharterFormValues;
  readonly errors: FieldErrors;
  /** After saving (the redirect): the version saved, or the one still in force when nothing changed. */
  readonly notice: { readonly version: number; readonly changed: boolean } | null;
}

const LABELS: Record<string, string> = {
  registration: "Joining",
  federationMode: "Federation mode",
  allow: "Allowed hosts",
  block: "Blocked hosts",
  acceptKinds: "Accepted listing kinds",
  hopLimit: "Hop limit",
  licences: "Licences",
  moderation: "Moderation rules",
  contact: "Contact",
  note: "What changed, and why",
};

const MODE_WORDS: Record<(typeof FEDERATION_MODES)[number], string> = {
  open: "Open: federate with every server except the blocked hosts",
  allowlist: "Allowlist: federate only with the allowed hosts (others may ask to connect)",
  blocklist: "Blocklist: federate with every server except the blocked hosts",
};

function Choice(props: { name: string; value: string; checked: boolean; label: string; type: "radio" | "checkbox" }) {
  return html`<label class="choice"><input type="${props.type}" name="${props.name}" value="${props.value}" ${props.checked ? "checked" : ""}> ${props.label}</label>`;
}

function ErrorOf(errors: FieldErrors, name: string) {
  return errors[name] ? html`<span class="field-error" id="${name}-error">${errors[name]}</span>` : "";
}

/** Admins edit the charter; saving makes a new version (the history keeps every earlier one). */
export function CharterFormPage(props: CharterFormPageProps) {
  const { values, errors } = props;
  return Layout({
    title: `Edit the charter · ${props.page.nodeName}`,
    page: props.page,
    body: html`<h1>Edit the charter</h1>
      <p>Saving makes version ${props.currentVersion + 1}; <a href="/charter">version ${props.currentVersion}</a> and every earlier one stay in the history.
        Changes apply at once: registration on the next sign-up, federation rules on the next activity another server sends.</p>
      ${props.notice === null
        ? ""
        : props.notice.changed
          ? html`<p class="notice" role="status">Saved as <a href="/charter/v${props.notice.version}">version ${props.notice.version}</a>.</p>`
          : html`<p class="notice" role="status">Nothing changed: <a href="/charter/v${props.notice.version}">version ${props.notice.version}</a> stays in force.</p>`}
      ${ErrorSummary({ errors, labels: LABELS })}
      <form class="stacked charter-form" method="post" action="/admin/charter" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        <input type="hidden" name="basedOn" value="${values.basedOn}">
        <fieldset id="registration" ${errors.registration ? html`aria-describedby="registration-error"` : ""}>
          <legend>${LABELS.registration}</legend>
          ${REGISTRATION_MODES.map((m) => Choice({ type: "radio", name: "registration", value: m, checked: values.registration === m, label: `${m}: ${REGISTRATION_WORDS[m]}` }))}
          ${ErrorOf(errors, "registration")}
        </fieldset>
        <fieldset id="federationMode" ${errors.federationMode ? html`aria-describedby="federationMode-error"` : ""}>
          <legend>${LABELS.federationMode}</legend>
          ${FEDERATION_MODES.map((m) => Choice({ type: "radio", name: "federationMode", value: m, checked: values.federationMode === m, label: MODE_WORDS[m] }))}
          ${ErrorOf(errors, "federationMode")}
        </fieldset>
        ${TextArea({ name: "allow", label: LABELS.allow!, value: values.allow, errors, rows: 4, hint: "One host per line, e.g. city-b.example. A port makes no difference; subdomains are not included. Used in allowlist mode." })}
        ${TextArea({ name: "block", label: LABELS.block!, value: values.block, errors, rows: 4, hint: "One host per line. Refused in every mode, on every port, with all its subdomains (spam.example also refuses a.spam.example)." })}
        <fieldset id="acceptKinds" ${errors.acceptKinds ? html`aria-describedby="acceptKinds-error"` : ""}>
          <legend>${LABELS.acceptKinds}</legend>
          ${DIRECTORY_KINDS.map((k) => Choice({ type: "checkbox", name: "acceptKinds", value: k, checked: values.acceptKinds.includes(k), label: k }))}
          ${ErrorOf(errors, "acceptKinds")}
        </fieldset>
        ${Field({ name: "hopLimit", label: LABELS.hopLimit!, value: values.hopLimit, errors, hint: `0 to ${MAX_HOP_LIMIT}: how many nodes beyond direct peers a listing may travel.` })}
        ${TextArea({ name: "licences", label: LABELS.licences!, value: values.licences, errors, rows: 3, hint: "SPDX identifiers, one per line, e.g. CC-BY-SA-4.0, CERN-OHL-S-2.0." })}
        ${TextArea({ name: "moderation", label: LABELS.moderation!, value: values.moderation, errors, rows: 8, maxlength: 20000, hint: "Plain text; blank lines separate paragraphs." })}
        ${Field({ name: "contact", label: LABELS.contact!, value: values.contact, errors, maxlength: 500, hint: "How to reach the admins, e.g. an email address." })}
        ${Field({ name: "note", label: LABELS.note!, value: values.note, errors, maxlength: 500, hint: "Shown in the history." })}
        <button type="submit">Save as a new version</button>
      </form>`,
  });
}
