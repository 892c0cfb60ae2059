import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

/** The text of the project form's fields, as typed (re-shown after an error). */
export interface ProjectFormValues {
  readonly handle: string;
  readonly name: string;
  readonly summary: string;
  readonly tags: string;
  readonly locationName: string;
  readonly latitude: string;
  readonly longitude: string;
  readonly locality: string;
  readonly region: string;
  readonly country: string;
  readonly bioregion: string;
  readonly website: string;
  readonly archived: boolean;
  /** Listed in the directory; undefined when the form did not show the choice. */
  readonly listed: boolean | undefined;
}

export const EMPTY_PROJECT_FORM: ProjectFormValues = {
  handle: "",
  name: "",
  summary: "",
  tags: "",
  locationName: "",
  latitude: "",
  longitude: "",
  locality: "",
  region: "",
  country: "",
  bioregion: "",
  website: "",
  archived: false,
  listed: true,
};

export interface ProjectFormPageProps {
  readonly page: PageContext;
  /** Editing an existing project (no handle field, an archive box and maintainers) or creating one. */
  readonly editing: { readonly handle: string; readonly maintainers: readonly { readonly handle: string; readonly name: string }[] } | null;
  readonly values: ProjectFormValues;
  readonly errors: FieldErrors;
  readonly host: string;
  readonly summaryMax: number;
}

const LABELS: Record<string, string> = {
  handle: "Handle",
  name: "Name",
  summary: "Summary",
  tags: "Tags",
  location: "Location",
  latitude: "Latitude",
  longitude: "Longitude",
  locality: "Locality",
  region: "Region",
  country: "Country",
  bioregion: "Bioregion",
  listed: "Directory",
  website: "Website",
  avatar: "Avatar",
  banner: "Banner",
  maintainer: "New maintainer",
};

/** Create or edit a project; the same form re-renders with messages when something is wrong. */
export function ProjectFormPage(props: ProjectFormPageProps) {
  const { values, errors, editing } = props;
  const title = editing ? `Edit @${editing.handle}` : "New project";
  const action = editing ? `/projects/${editing.handle}/edit` : "/projects/new";
  return Layout({
    title,
    page: props.page,
    body: html`<h1>${title}</h1>
      ${ErrorSummary({ errors, labels: LABELS })}
      <form class="stacked project-form" method="post" action="${action}" enctype="multipart/form-data" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        ${editing
          ? ""
          : Field({ name: "handle", label: "Handle", value: values.handle, errors, required: true, maxlength: 30, hint: `Your project's fediverse address: @handle@${props.host}. Letters, digits, _, and single . or - between them.` })}
        ${Field({ name: "name", label: "Name", value: values.name, errors, required: true, maxlength: 100 })}
        ${TextArea({ name: "summary", label: "Summary", value: values.summary, errors, maxlength: props.summaryMax, hint: "Markdown: **bold**, _italic_, [links](https://…), lists, #hashtags." })}
        ${Field({ name: "tags", label: "Tags", value: values.tags, errors, hint: "Up to 20, separated by commas or spaces, e.g. repair, bicycles." })}
        <fieldset>
          <legend>Location (optional)</legend>
          ${Field({ name: "locationName", label: "Place name", value: values.locationName, errors, maxlength: 200 })}
          ${Field({ name: "latitude", label: "Latitude", value: values.latitude, errors, hint: "-90 to 90, e.g. 45.764" })}
          ${Field({ name: "longitude", label: "Longitude", value: values.longitude, errors, hint: "-180 to 180, e.g. 4.8357" })}
          ${Field({ name: "locality", label: "Locality", value: values.locality, errors, maxlength: 200, hint: "Town or city, e.g. Lyon" })}
          ${Field({ name: "region", label: "Region", value: values.region, errors, maxlength: 200, hint: "e.g. Auvergne-Rhône-Alpes" })}
          ${Field({ name: "country", label: "Country", value: values.country, errors, maxlength: 2, hint: "Two-letter code, e.g. FR" })}
          ${Field({ name: "bioregion", label: "Bioregion", value: values.bioregion, errors, maxlength: 200, hint: "Optional, e.g. Rhône basin" })}
          ${errors.location ? html`<span class="field-error" id="location-error">${errors.location}</span>` : ""}
        </fieldset>
        <input type="hidden" name="listedShown" value="1">
        <label class="checkbox"><input type="checkbox" name="listed" value="true" ${values.listed !== false ? "checked" : ""}>
          List in the directory (other nodes connected to this one see it too)</label>
        ${errors.listed ? html`<span class="field-error" id="listed-error">${errors.listed}</span>` : ""}
        ${Field({ name: "website", label: "Website (optional)", value: values.website, errors, hint: "https://…" })}
        ${FileField({ name: "avatar", label: "Avatar (optional)", errors, hint: "Square, shown at 400×400." })}
        ${FileField({ name: "banner", label: "Banner (optional)", errors, hint: "Wide, 3:1, shown at 1500×500." })}
        ${editing
          ? html`<label class="checkbox"><input type="checkbox" name="archived" value="true" ${values.archived ? "checked" : ""}>
              Archived (the project stays visible but posts no new updates)</label>`
          : ""}
        <button type="submit">${editing ? "Save" : "Create the project"}</button>
      </form>
      ${editing ? MaintainerForm(props, editing) : ""}`,
  });
}

function MaintainerForm(props: ProjectFormPageProps, editing: NonNullable<ProjectFormPageProps["editing"]>) {
  return html`<section class="maintainers" aria-labelledby="maintainers-heading">
    <h2 id="maintainers-heading">Maintainers</h2>
    <ul>${editing.maintainers.map((m) => html`<li>${m.name || m.handle} <span class="handle">@${m.handle}</span></li>`)}</ul>
    <form class="stacked" method="post" action="/projects/${editing.handle}/maintainers">
      ${CsrfField({ token: props.page.csrfToken })}
      ${Field({ name: "maintainer", label: "Add a member of this node as maintainer", errors: props.errors, hint: "Their handle, e.g. alice" })}
      <button type="submit">Add maintainer</button>
    </form>
  </section>`;
}

export function TextArea(props: { name: string; label: string; value: string; errors: FieldErrors; maxlength?: number; hint?: string; required?: boolean; rows?: number }) {
  const error = props.errors[props.name];
  const described = [props.hint ? `${props.name}-hint` : "", error ? `${props.name}-error` : ""].filter(Boolean).join(" ");
  return html`<label for="${props.name}">${props.label}
    ${props.hint ? html`<span class="muted" id="${props.name}-hint">${props.hint}</span>` : ""}
    <textarea id="${props.name}" name="${props.name}" rows="${props.rows ?? 8}"
      ${props.maxlength ? html`maxlength="${props.maxlength}"` : ""}
      ${props.required ? "required" : ""}
      ${error ? html`aria-invalid="true"` : ""}
      ${described ? html`aria-describedby="${described}"` : ""}>${props.value}</textarea>
    ${error ? html`<span class="field-error" id="${props.name}-error">${error}</span>` : ""}
  </label>`;
}

export function FileField(props: { name: string; label: string; errors: FieldErrors; hint?: string }) {
  const error = props.errors[props.name];
  return html`<label for="${props.name}">${props.label}
    ${props.hint ? html`<span class="muted">${props.hint}</span>` : ""}
    <input id="${props.name}" name="${props.name}" type="file" accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
      ${error ? html`aria-invalid="true" aria-describedby="${props.name}-error"` : ""}>
    ${error ? html`<span class="field-error" id="${props.name}-error">${error}</span>` : ""}
  </label>`;
}
