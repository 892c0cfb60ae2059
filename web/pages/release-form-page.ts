import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";
import { TextArea } from "./project-form-page.ts";

/** One bill-of-materials row as typed. */
export interface BomRowValues {
  readonly part: string;
  readonly quantity: string;
  readonly unit: string;
  readonly material: string;
  readonly source: string;
  readonly link: string;
}

/** The new-release form's fields as typed (re-shown after an error; chosen files are not kept). */
export interface ReleaseFormValues {
  readonly version: string;
  readonly notes: string;
  readonly trl: string;
  readonly drl: string;
  readonly bom: readonly BomRowValues[];
}

export const EMPTY_BOM_ROW: BomRowValues = { part: "", quantity: "", unit: "", material: "", source: "", link: "" };
export const EMPTY_RELEASE_FORM: ReleaseFormValues = { version: "", notes: "", trl: "", drl: "", bom: [] };

/** Rows shown without JavaScript; the "Add a row" button (with it) adds more. */
export const BOM_ROWS_SHOWN = 5;

export interface ReleaseFormPageProps {
  readonly page: PageContext;
  readonly design: { readonly handle: string; readonly name: string; readonly url: string; readonly licence: string };
  readonly values: ReleaseFormValues;
  readonly errors: FieldErrors;
  /** Technology and documentation readiness levels (OKH-LOSH OTRL-n and ODRL-n) with their meaning. */
  readonly trlLevels: readonly { readonly id: string; readonly label: string }[];
  readonly drlLevels: readonly { readonly id: string; readonly label: string }[];
  /** The JSON API route the script uploads to, with progress; the form itself posts to the page route. */
  readonly uploadUrl: string;
  readonly limits: { readonly fileMaxBytes: number; readonly releaseMaxBytes: number };
}

const LABELS: Record<string, string> = { version: "Version", notes: "Notes", trl: "Technology readiness", drl: "Documentation readiness", bom: "Bill of materials", files: "Files" };

/**
 * Publish a release. Without JavaScript the form posts multipart to the page route; with it,
 * /static/release-form.js sends the same fields to the API with an upload progress bar (large CAD
 * files take minutes) and adds BOM rows on demand.
 */
export function ReleaseFormPage(props: ReleaseFormPageProps) {
  const { values, errors, design } = props;
  const rows = Math.max(BOM_ROWS_SHOWN, values.bom.length);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return Layout({
    title: `New release of ${design.name}`,
    page: props.page,
    head: html`<link rel="stylesheet" href="/static/designs.css"><script src="/static/release-form.js" defer></script>`,
    body: html`<h1>New release of ${design.name}</h1>
      <p class="muted">A release never changes once published: a correction is a new version. It is published under the design's licence, ${design.licence}.</p>
      <div class="form-errors">${ErrorSummary({ errors, labels: { ...LABELS, ...bomLabels(errors) } })}</div>
      <form class="stacked release-form" method="post" action="/@${design.handle}/releases/new" enctype="multipart/form-data"
        data-upload-url="${props.uploadUrl}" data-design-url="${design.url}" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        ${Field({ name: "version", label: "Version", value: values.version, errors, required: true, maxlength: 64, hint: "e.g. 1.0.0 or 2.1; versions sort like SemVer." })}
        ${TextArea({ name: "notes", label: "Notes", value: values.notes, errors, rows: 6, hint: "What changed. Markdown." })}
        ${LevelSelect({ name: "trl", label: "Technology readiness level", value: values.trl, errors, levels: props.trlLevels })}
        ${LevelSelect({ name: "drl", label: "Documentation readiness level", value: values.drl, errors, levels: props.drlLevels })}
        <fieldset class="bom-input">
          <legend>Bill of materials (optional)</legend>
          ${errors.bom ? html`<span class="field-error" id="bom-error">${errors.bom}</span>` : ""}
          <div class="bom-rows">${Array.from({ length: rows }, (_, i) => BomRow(i, values.bom[i] ?? EMPTY_BOM_ROW, errors))}</div>
          <button type="button" class="add-bom-row" hidden>Add a row</button>
        </fieldset>
        <label for="files">Files
          <span class="muted" id="files-hint">Sources, exports, drawings, photos: up to ${mb(props.limits.fileMaxBytes)} MB a file, ${mb(props.limits.releaseMaxBytes)} MB in all. Images get a preview.</span>
          <input id="files" name="files" type="file" multiple aria-describedby="files-hint${errors.files ? " files-error" : ""}" ${errors.files ? html`aria-invalid="true"` : ""}>
          ${errors.files ? html`<span class="field-error" id="files-error">${errors.files}</span>` : ""}
        </label>
        <div class="upload-status" hidden>
          <label for="upload-progress">Upload progress
            <progress id="upload-progress" class="upload-progress" max="100" value="0"></progress>
          </label>
          <output class="upload-percent" for="files" aria-live="polite">0%</output>
        </div>
        <button type="submit">Publish the release</button>
      </form>`,
  });
}

function LevelSelect(props: { name: string; label: string; value: string; errors: FieldErrors; levels: readonly { id: string; label: string }[] }) {
  const error = props.errors[props.name];
  return html`<label for="${props.name}">${props.label} (optional)
    <select id="${props.name}" name="${props.name}" ${error ? html`aria-invalid="true" aria-describedby="${props.name}-error"` : ""}>
      <option value="">Not stated</option>
      ${props.levels.map((l) => html`<option value="${l.id}" ${l.id === props.value ? "selected" : ""}>${l.label ? `${l.id}: ${l.label}` : l.id}</option>`)}
    </select>
    ${error ? html`<span class="field-error" id="${props.name}-error">${error}</span>` : ""}
  </label>`;
}

const BOM_COLUMNS = [
  ["part", "Part", "text"],
  ["quantity", "Quantity", "text"],
  ["unit", "Unit", "text"],
  ["material", "Material", "text"],
  ["source", "Source or supplier", "text"],
  ["link", "Link", "url"],
] as const;

/** "Row 2, Quantity" for the error summary's link to bomQuantity1. */
function bomLabels(errors: FieldErrors): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const name of Object.keys(errors)) {
    const match = /^bom([A-Z][a-z]+)(\d+)$/.exec(name);
    const column = match && BOM_COLUMNS.find(([key]) => key === match[1]!.toLowerCase());
    if (match && column) labels[name] = `Row ${Number(match[2]) + 1}, ${column[1]}`;
  }
  return labels;
}

/** Inputs named bom<Column><row> (e.g. bomPart0), errors keyed the same: the page route and the script read these names. */
function BomRow(index: number, row: BomRowValues, errors: FieldErrors) {
  return html`<div class="bom-row" data-row="${index}">${BOM_COLUMNS.map(([key, label, type]) => {
    const name = `bom${key[0]!.toUpperCase()}${key.slice(1)}${index}`;
    const error = errors[name];
    return html`<label for="${name}" class="bom-cell">${label} ${index + 1}
      <input id="${name}" name="${name}" type="${type}" value="${row[key]}" ${key === "quantity" ? html`inputmode="decimal"` : ""}
        ${error ? html`aria-invalid="true" aria-describedby="${name}-error"` : ""}>
      ${error ? html`<span class="field-error" id="${name}-error">${error}</span>` : ""}
    </label>`;
  })}</div>`;
}
