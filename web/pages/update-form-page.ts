import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";
import { FileField, TextArea } from "./project-form-page.ts";

export interface UpdateFormPageProps {
  readonly page: PageContext;
  readonly project: { readonly handle: string; readonly name: string };
  /** Editing an update: its id and current images (their alt text can change), or posting a new one. */
  readonly editing: { readonly id: string; readonly images: readonly { readonly url: string; readonly alt: string }[] } | null;
  readonly content: string;
  /** Alt texts as typed, by image slot (0–3). */
  readonly alts: readonly string[];
  readonly errors: FieldErrors;
  readonly contentMax: number;
  readonly imagesMax: number;
}

const LABELS: Record<string, string> = { content: "Text", images: "Images", image0: "Image 1", image1: "Image 2", image2: "Image 3", image3: "Image 4" };

/** Post an update (text and up to four images with alt text) or edit one. */
export function UpdateFormPage(props: UpdateFormPageProps) {
  const { editing, project, errors } = props;
  const title = editing ? `Edit an update of ${project.name}` : `New update for ${project.name}`;
  const action = editing ? `/projects/${project.handle}/updates/${editing.id}/edit` : `/projects/${project.handle}/updates/new`;
  return Layout({
    title,
    page: props.page,
    body: html`<h1>${title}</h1>
      <p class="muted">Followers on Mastodon and elsewhere receive it${editing ? " as an edit" : ""}.</p>
      ${ErrorSummary({ errors, labels: LABELS })}
      <form class="stacked update-form" method="post" action="${action}" enctype="multipart/form-data" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        ${TextArea({ name: "content", label: "Text", value: props.content, errors, required: true, maxlength: props.contentMax, hint: "Markdown; #hashtags become links." })}
        ${errors.images ? html`<span class="field-error" id="images-error">${errors.images}</span>` : ""}
        ${editing ? ExistingImages(editing.images, props) : NewImages(props)}
        <button type="submit">${editing ? "Save the edit" : "Post the update"}</button>
      </form>`,
  });
}

function NewImages(props: UpdateFormPageProps) {
  const slots = Array.from({ length: props.imagesMax }, (_, i) => i);
  return html`<fieldset class="update-images-input">
    <legend>Images (optional, up to ${props.imagesMax})</legend>
    ${slots.map(
      (i) => html`<div class="image-slot">
        ${FileField({ name: `image${i}`, label: `Image ${i + 1}`, errors: props.errors })}
        ${Field({ name: `alt${i}`, label: `Description of image ${i + 1} (alt text)`, value: props.alts[i] ?? "", errors: props.errors, maxlength: 1500, hint: "What the picture shows, for people who cannot see it." })}
      </div>`,
    )}
  </fieldset>`;
}

function ExistingImages(images: readonly { readonly url: string; readonly alt: string }[], props: UpdateFormPageProps) {
  if (images.length === 0) return "";
  return html`<fieldset class="update-images-input">
    <legend>Images</legend>
    ${images.map(
      (image, i) => html`<div class="image-slot">
        <img src="${image.url}" alt="${image.alt}" width="120" loading="lazy">
        ${Field({ name: `alt${i}`, label: `Description of image ${i + 1} (alt text)`, value: props.alts[i] ?? image.alt, errors: props.errors, maxlength: 1500 })}
      </div>`,
    )}
  </fieldset>`;
}
