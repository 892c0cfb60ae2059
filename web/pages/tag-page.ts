import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import { ProjectList, type ProjectListItem } from "../components/project-list.ts";
import { UpdateCard, type UpdateCardProps } from "../components/update-card.ts";
import type { PageContext } from "../page-context.ts";

export interface TagPageProps {
  readonly page: PageContext;
  /** Normalised, without `#`. */
  readonly tag: string;
  readonly projects: readonly ProjectListItem[];
  readonly updates: readonly (UpdateCardProps & { readonly projectName: string; readonly projectUrl: string })[];
}

/** A hashtag on this node: the projects tagged with it and the updates that use it. */
export function TagPage(props: TagPageProps) {
  return Layout({
    title: `#${props.tag}`,
    page: props.page,
    body: html`<h1 class="tag-name">#${props.tag}</h1>
      ${ProjectList(props.projects)}
      <section class="tag-updates" aria-labelledby="tag-updates-heading">
        <h2 id="tag-updates-heading">Updates</h2>
        ${props.updates.length === 0
          ? html`<p class="muted">No updates use this hashtag yet.</p>`
          : props.updates.map((u) => html`<p class="muted"><a href="${u.projectUrl}">${u.projectName}</a></p>${UpdateCard(u)}`)}
      </section>`,
  });
}
