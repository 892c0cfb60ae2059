import { html } from "hono/html";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "../../pages/account-form.ts";
import { FileField, TextArea } from "../../pages/project-form-page.ts";

/** The report-a-build form's fields as typed (re-shown after an error). */
export interface MadeFormValues {
  readonly place: string;
  readonly latitude: string;
  readonly longitude: string;
  readonly madeAt: string;
  readonly facility: string;
  readonly directoryEntry: string;
  readonly notes: string;
  readonly deviations: string;
  /** Alt text by photo slot. */
  readonly alts: readonly string[];
}

export const EMPTY_MADE_FORM: MadeFormValues = { place: "", latitude: "", longitude: "", madeAt: "", facility: "", directoryEntry: "", notes: "", deviations: "", alts: [] };

export const MADE_PHOTO_SLOTS = 3;

const LABELS: Record<string, string> = {
  place: "Place", latitude: "Latitude", longitude: "Longitude", madeAt: "Date", facility: "Facility", directoryEntry: "Directory entry",
  notes: "Notes", deviations: "Deviations", media: "Photos", photo0: "Photo 1", photo1: "Photo 2", photo2: "Photo 3", alt0: "Photo 1 description", alt1: "Photo 2 description", alt2: "Photo 3 description",
};

/**
 * "I built this": where, when, with photos and what was changed. The location button
 * (/static/made-form.js) only fills the two fields; typing them works the same.
 */
export function MadeReportForm(props: { action: string; csrfToken: string; values: MadeFormValues; errors: FieldErrors }) {
  const { values, errors } = props;
  return html`<section class="card report-build" aria-labelledby="report-heading">
    <h2 id="report-heading">Report a build</h2>
    <p class="muted">Built this release? Tell the people who designed it, and every node along its fork chain.</p>
    ${ErrorSummary({ errors, labels: LABELS })}
    <form class="stacked made-form" method="post" action="${props.action}" enctype="multipart/form-data" novalidate>
      ${CsrfField({ token: props.csrfToken })}
      ${Field({ name: "place", label: "Place", value: values.place, errors, required: true, maxlength: 200, hint: "Town or city, e.g. Lyon" })}
      <fieldset class="coordinates">
        <legend>Coordinates</legend>
        ${Field({ name: "latitude", label: "Latitude", value: values.latitude, errors, required: true, hint: "-90 to 90, e.g. 45.764" })}
        ${Field({ name: "longitude", label: "Longitude", value: values.longitude, errors, required: true, hint: "-180 to 180, e.g. 4.8357" })}
        <button type="button" class="use-location" hidden>Use my location</button>
        <span class="location-status muted" role="status"></span>
      </fieldset>
      <label for="madeAt">Date built
        <input id="madeAt" name="madeAt" type="date" value="${values.madeAt}" required ${errors.madeAt ? html`aria-invalid="true" aria-describedby="madeAt-error"` : ""}>
        ${errors.madeAt ? html`<span class="field-error" id="madeAt-error">${errors.madeAt}</span>` : ""}
      </label>
      ${Field({ name: "facility", label: "Facility (optional)", value: values.facility, errors, maxlength: 200, hint: "The workshop or fab lab, e.g. Fabrique de Lyon" })}
      ${Field({ name: "directoryEntry", label: "Directory entry (optional)", value: values.directoryEntry, errors, hint: "The facility's directory URL, https://…" })}
      ${TextArea({ name: "notes", label: "Notes (optional)", value: values.notes, errors, rows: 4, hint: "How it went. Markdown." })}
      ${TextArea({ name: "deviations", label: "Deviations from the design (optional)", value: values.deviations, errors, rows: 3, hint: "Parts substituted, dimensions changed…" })}
      <fieldset class="made-photos-input">
        <legend>Photos (optional, up to ${MADE_PHOTO_SLOTS})</legend>
        ${errors.media ? html`<span class="field-error" id="media-error">${errors.media}</span>` : ""}
        ${Array.from({ length: MADE_PHOTO_SLOTS }, (_, i) => html`<div class="image-slot">
          ${FileField({ name: `photo${i}`, label: `Photo ${i + 1}`, errors })}
          ${Field({ name: `alt${i}`, label: `Description of photo ${i + 1} (alt text)`, value: values.alts[i] ?? "", errors, maxlength: 1500, hint: "What the picture shows, for people who cannot see it." })}
        </div>`)}
      </fieldset>
      <button type="submit">Report the build</button>
    </form>
  </section>`;
}
