import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

export interface ProfileSettingsPageProps {
  readonly page: PageContext;
  readonly handle: string;
  readonly values: { readonly displayName: string; readonly bio: string };
  readonly avatarUrl: string | null;
  readonly errors: FieldErrors;
  readonly saved: boolean;
  readonly bioMaxLength: number;
}

const LABELS = { displayName: "Display name", bio: "Bio", avatar: "Avatar" };

/** Edit display name, bio and avatar; the avatar goes through the media pipeline. */
export function ProfileSettingsPage(props: ProfileSettingsPageProps) {
  const bioError = props.errors.bio;
  return Layout({
    title: `Edit profile · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="profile-settings">
      <h1>Edit your profile</h1>
      ${props.saved ? html`<p class="notice" role="status">Your profile was saved. Your followers will see the change.</p>` : ""}
      ${ErrorSummary({ errors: props.errors, labels: LABELS })}
      <form method="post" action="/settings/profile" class="stacked" enctype="multipart/form-data" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        ${Field({ name: "displayName", label: LABELS.displayName, value: props.values.displayName, errors: props.errors, maxlength: 100 })}
        <label for="bio">${LABELS.bio}
          <span class="muted" id="bio-hint">Plain text, at most ${props.bioMaxLength} characters.</span>
          <textarea id="bio" name="bio" rows="5" maxlength="${props.bioMaxLength}" aria-describedby="bio-hint${bioError ? " bio-error" : ""}"
            ${bioError ? html`aria-invalid="true"` : ""}>${props.values.bio}</textarea>
          ${bioError ? html`<span class="field-error" id="bio-error">${bioError}</span>` : ""}
        </label>
        ${props.avatarUrl ? html`<img class="avatar" src="${props.avatarUrl}" alt="Your current avatar" width="64" height="64">` : ""}
        <label for="avatar">${LABELS.avatar}
          <span class="muted">Optional: a JPEG, PNG, WebP or GIF image, cropped to a square.</span>
          <input id="avatar" name="avatar" type="file" accept="image/jpeg,image/png,image/webp,image/gif"
            ${props.errors.avatar ? html`aria-invalid="true" aria-describedby="avatar-error"` : ""}>
          ${props.errors.avatar ? html`<span class="field-error" id="avatar-error">${props.errors.avatar}</span>` : ""}
        </label>
        <button type="submit">Save</button>
      </form>
      <p><a href="/@${props.handle}">See your profile</a></p>
    </section>`,
  });
}
