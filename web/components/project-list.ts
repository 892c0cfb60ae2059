import { html } from "hono/html";

export interface ProjectListItem {
  readonly name: string;
  /** `/@handle` */
  readonly url: string;
  /** `@handle@host` */
  readonly fediverseHandle: string;
  /** Plain text, shortened. */
  readonly summary: string;
  readonly tags: readonly string[];
  readonly avatarUrl: string | null;
  readonly archived: boolean;
}

/** The projects of this node, as a list of cards. */
export function ProjectList(projects: readonly ProjectListItem[]) {
  return html`<section class="project-list" aria-labelledby="projects-heading">
    <h2 id="projects-heading">Projects on this node</h2>
    ${projects.length === 0
      ? html`<p class="muted">No projects yet.</p>`
      : html`<ul class="projects">
          ${projects.map(
            (p) => html`<li class="card project-item h-card">
              ${p.avatarUrl ? html`<img class="avatar u-photo" src="${p.avatarUrl}" alt="" width="48" height="48" loading="lazy">` : ""}
              <a class="project-link u-url p-name" href="${p.url}">${p.name}</a> <span class="handle">${p.fediverseHandle}</span>
              ${p.archived ? html`<span class="muted archived">(archived)</span>` : ""}
              ${p.summary ? html`<p class="p-note">${p.summary}</p>` : ""}
              ${p.tags.length > 0 ? html`<p class="muted">${p.tags.map((t) => `#${t}`).join(" ")}</p>` : ""}
            </li>`,
          )}
        </ul>`}
  </section>`;
}
