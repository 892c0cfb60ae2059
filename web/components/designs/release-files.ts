import { html } from "hono/html";
import type { IconKind } from "../../../server/modules/design-files/index.ts";
import { FileIcon } from "./file-icon.ts";
import { formatBytes } from "./format-bytes.ts";

export interface ReleaseFileItem {
  readonly name: string;
  readonly size: number;
  readonly mediaType: string;
  readonly role: string | null;
  /** The download URL (served as an attachment unless it is a raster image). */
  readonly url: string;
  /** The preview of a raster image, else null and the icon shows. */
  readonly preview: { readonly url: string; readonly width: number; readonly height: number } | null;
  readonly iconKind: IconKind;
  readonly sha256: string;
}

/** A release's files: a preview for raster images, an icon by type for the rest, with human-readable sizes. */
export function ReleaseFiles(props: { files: readonly ReleaseFileItem[] }) {
  if (props.files.length === 0) return html`<p class="muted files-empty">This release has no files.</p>`;
  return html`<ul class="release-files">${props.files.map(
    (f) => html`<li class="release-file" data-role="${f.role ?? ""}">
      ${f.preview
        ? html`<img class="file-preview" src="${f.preview.url}" alt="Preview of ${f.name}" width="${f.preview.width}" height="${f.preview.height}" loading="lazy">`
        : FileIcon({ kind: f.iconKind })}
      <span class="file-details">
        <a class="file-link" href="${f.url}" download="${f.name}">${f.name}</a>
        <span class="file-size muted" data-bytes="${f.size}">${formatBytes(f.size)}</span>
        ${f.role ? html`<span class="file-role muted">${f.role}</span>` : ""}
        <code class="file-sha256 muted" title="SHA-256">${f.sha256.slice(0, 12)}…</code>
      </span>
    </li>`,
  )}</ul>`;
}
