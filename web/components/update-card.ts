import { html, raw } from "hono/html";

export interface UpdateImageProps {
  readonly url: string;
  readonly alt: string;
  readonly width: number;
  readonly height: number;
}

export interface UpdateCounts {
  readonly replies: number;
  readonly likes: number;
  readonly boosts: number;
}

export interface UpdateCardProps {
  /** The update's page, also its Note id. */
  readonly url: string;
  /** Allowlisted HTML (rendered Markdown), shown as is. */
  readonly contentHtml: string;
  readonly images: readonly UpdateImageProps[];
  readonly published: Date;
  readonly edited: Date | null;
  readonly pinned: boolean;
  readonly counts: UpdateCounts;
}

/** One update in a list or on its own page: text, images with their alt text, date and counts. */
export function UpdateCard(props: UpdateCardProps) {
  return html`<article class="card update h-entry">
    ${props.pinned ? html`<p class="pinned muted">Pinned</p>` : ""}
    <div class="update-content e-content">${raw(props.contentHtml)}</div>
    ${UpdateImages(props.images)}
    <p class="muted">
      <a class="u-url" href="${props.url}"><time class="dt-published" datetime="${props.published.toISOString()}">${formatDate(props.published)}</time></a>
      ${props.edited ? html` · edited <time datetime="${props.edited.toISOString()}">${formatDate(props.edited)}</time>` : ""}
    </p>
    ${Counts(props.counts)}
  </article>`;
}

export function UpdateImages(images: readonly UpdateImageProps[]) {
  if (images.length === 0) return "";
  return html`<div class="update-images">
    ${images.map(
      (image) => html`<figure>
        <img src="${image.url}" alt="${image.alt}" width="${image.width}" height="${image.height}" loading="lazy">
        ${image.alt ? html`<figcaption class="muted">${image.alt}</figcaption>` : ""}
      </figure>`,
    )}
  </div>`;
}

export function Counts(counts: UpdateCounts) {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return html`<p class="counts">
    <span class="count-replies">${plural(counts.replies, "reply", "replies")}</span>
    <span class="count-likes">${plural(counts.likes, "like", "likes")}</span>
    <span class="count-boosts">${plural(counts.boosts, "boost", "boosts")}</span>
  </p>`;
}

/** Dates as `2026-08-21 18:00 UTC`: the same for every reader, no script needed. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
