import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";
import { TextArea } from "./project-form-page.ts";

/** The new-design form's fields as typed (re-shown after an error). */
export interface DesignFormValues {
  readonly handle: string;
  readonly name: string;
  readonly summary: string;
  readonly function: string;
  readonly tags: string;
  readonly licence: string;
  readonly documentationLicence: string;
  readonly licensor: string;
  readonly project: string;
}

export const EMPTY_DESIGN_FORM: DesignFormValues = { handle: "", name: "", summary: "", function: "", tags: "", licence: "", documentationLicence: "", licensor: "", project: "" };

/**
 * Licences open hardware is commonly published under (SPDX ids, https://spdx.org/licenses/): the
 * CERN Open Hardware Licences v2 in their three strengths, TAPR and Solderpad for hardware, Creative
 * Commons for documentation, and common software licences for firmware. Suggestions only: any SPDX
 * id the node's charter accepts is taken.
 */
export const COMMON_HARDWARE_LICENCES = [
  "CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "CERN-OHL-P-2.0", "TAPR-OHL-1.0", "SHL-2.1", "SHL-0.51",
  "CC-BY-SA-4.0", "CC-BY-4.0", "CC0-1.0", "GPL-3.0-or-later", "MIT", "Apache-2.0",
] as const;
export const COMMON_DOCUMENTATION_LICENCES = ["CC-BY-SA-4.0", "CC-BY-4.0", "CC0-1.0", "GFDL-1.3-or-later"] as const;

export interface DesignFormPageProps {
  readonly page: PageContext;
  readonly values: DesignFormValues;
  readonly errors: FieldErrors;
  readonly host: string;
  /** The node's projects a design can belong to. */
  readonly projects: readonly { readonly handle: string; readonly name: string }[];
}

const LABELS: Record<string, string> = {
  handle: "Handle", name: "Name", summary: "Summary", function: "Function", tags: "Tags", licence: "Licence",
  documentationLicence: "Documentation licence", licensor: "Licensor", project: "Project",
};

/** Create a design: a followable actor in the shared handle namespace, with its licence. */
export function DesignFormPage(props: DesignFormPageProps) {
  const { values, errors } = props;
  return Layout({
    title: "New design",
    page: props.page,
    body: html`<h1>New design</h1>
      <p class="muted">Building on a design published on another node? <a href="/designs/fork" class="fork-instead">Fork it here</a> instead: its releases, files and licence come along, and its origin learns of the fork.</p>
      ${ErrorSummary({ errors, labels: LABELS })}
      <form class="stacked design-form" method="post" action="/designs/new" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        ${Field({ name: "handle", label: "Handle", value: values.handle, errors, required: true, maxlength: 30, hint: `The design's fediverse address: @handle@${props.host}. Letters, digits, _, and single . or - between them.` })}
        ${Field({ name: "name", label: "Name", value: values.name, errors, required: true, maxlength: 100 })}
        ${TextArea({ name: "summary", label: "Summary", value: values.summary, errors, rows: 6, hint: "Markdown: what it is, who it is for." })}
        ${Field({ name: "function", label: "Function", value: values.function, errors, maxlength: 500, hint: "What it does, in a sentence, e.g. Dries fruit with sunlight." })}
        ${Field({ name: "tags", label: "Tags", value: values.tags, errors, hint: "Separated by commas or spaces, e.g. solar, food." })}
        ${LicenceField({ name: "licence", label: "Licence", value: values.licence, errors, required: true, options: COMMON_HARDWARE_LICENCES, hint: "An SPDX id, e.g. CERN-OHL-S-2.0. The node's charter says which licences it accepts." })}
        ${LicenceField({ name: "documentationLicence", label: "Documentation licence (optional)", value: values.documentationLicence, errors, options: COMMON_DOCUMENTATION_LICENCES, hint: "When the documentation is under another licence, e.g. CC-BY-SA-4.0." })}
        ${Field({ name: "licensor", label: "Licensor (optional)", value: values.licensor, errors, maxlength: 200, hint: "Who grants the licence: a person or an organisation." })}
        ${ProjectSelect(props)}
        <button type="submit">Create the design</button>
      </form>`,
  });
}

function LicenceField(props: { name: string; label: string; value: string; errors: FieldErrors; options: readonly string[]; hint: string; required?: boolean }) {
  const error = props.errors[props.name];
  const list = `${props.name}-options`;
  return html`<label for="${props.name}">${props.label}
    <span class="muted" id="${props.name}-hint">${props.hint}</span>
    <input id="${props.name}" name="${props.name}" type="text" value="${props.value}" list="${list}" autocomplete="off" spellcheck="false"
      ${props.required ? "required" : ""} ${error ? html`aria-invalid="true"` : ""}
      aria-describedby="${props.name}-hint${error ? ` ${props.name}-error` : ""}">
    <datalist id="${list}">${props.options.map((id) => html`<option value="${id}"></option>`)}</datalist>
    ${error ? html`<span class="field-error" id="${props.name}-error">${error}</span>` : ""}
  </label>`;
}

function ProjectSelect(props: DesignFormPageProps) {
  const error = props.errors.project;
  return html`<label for="project">Project (optional)
    <span class="muted" id="project-hint">The project of this node the design belongs to.</span>
    <select id="project" name="project" aria-describedby="project-hint${error ? " project-error" : ""}" ${error ? html`aria-invalid="true"` : ""}>
      <option value="">None</option>
      ${props.projects.map((p) => html`<option value="${p.handle}" ${p.handle === props.values.project ? "selected" : ""}>${p.name} (@${p.handle})</option>`)}
    </select>
    ${error ? html`<span class="field-error" id="project-error">${error}</span>` : ""}
  </label>`;
}
