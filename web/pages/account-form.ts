import { html } from "hono/html";

/** A form's field errors, keyed by field name; `form` holds an error about the whole form. */
export type FieldErrors = Readonly<Record<string, string>>;

export interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly value?: string;
  readonly type?: "text" | "password";
  readonly errors: FieldErrors;
  readonly hint?: string;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly maxlength?: number;
  readonly minlength?: number;
}

/** A labelled input whose error is announced with it (aria-invalid, aria-describedby). */
export function Field(props: FieldProps) {
  const error = props.errors[props.name];
  const described = [props.hint ? `${props.name}-hint` : "", error ? `${props.name}-error` : ""].filter(Boolean).join(" ");
  return html`<label for="${props.name}">${props.label}
    ${props.hint ? html`<span class="muted" id="${props.name}-hint">${props.hint}</span>` : ""}
    <input id="${props.name}" name="${props.name}" type="${props.type ?? "text"}" value="${props.value ?? ""}"
      ${props.autocomplete ? html`autocomplete="${props.autocomplete}"` : ""}
      ${props.required ? "required" : ""}
      ${props.maxlength ? html`maxlength="${props.maxlength}"` : ""}
      ${props.minlength ? html`minlength="${props.minlength}"` : ""}
      ${error ? html`aria-invalid="true"` : ""}
      ${described ? html`aria-describedby="${described}"` : ""}>
    ${error ? html`<span class="field-error" id="${props.name}-error">${error}</span>` : ""}
  </label>`;
}

/** The summary at the top of a form that failed, linking to each field. */
export function ErrorSummary(props: { errors: FieldErrors; labels: Readonly<Record<string, string>> }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return "";
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h2>Please check the form</h2>
    <ul>
      ${entries.map(([name, message]) =>
        name === "form" ? html`<li>${message}</li>` : html`<li><a href="#${name}">${props.labels[name] ?? name}</a>: ${message}</li>`,
      )}
    </ul>
  </div>`;
}

export function CsrfField(props: { token: string }) {
  return html`<input type="hidden" name="_csrf" value="${props.token}">`;
}
