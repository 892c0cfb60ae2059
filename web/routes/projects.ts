import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import type { UpdateWithCounts } from "../../server/modules/notes/index.ts";
import { type ProjectRecord, type ProjectView, tagBaseUrl } from "../../server/modules/projects/index.ts";
import { CreateProjectSchema, EditProjectSchema, PROJECT_SUMMARY_MAX } from "../../server/modules/projects/project.schema.ts";
import { mediaUrl } from "../../server/modules/media/media-url.ts";
import { normalizeHashtag, tagUrl } from "../../server/platform/text/markdown.ts";
import { htmlToText } from "../../server/platform/text/sanitize-html.ts";
import { actorPagePath, notePath } from "../../federation/uris.ts";
import type { ProjectListItem } from "../components/project-list.ts";
import type { UpdateCardProps } from "../components/update-card.ts";
import { formText } from "../form-values.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { EMPTY_PROJECT_FORM, ProjectFormPage, type ProjectFormValues } from "../pages/project-form-page.ts";
import { ProjectPage } from "../pages/project-page.ts";
import { TagPage } from "../pages/tag-page.ts";
import { formError, projectFieldErrors, projectFormValues, projectFormValuesOf, projectInputFromForm, uploadFormImage } from "../project-form-values.ts";
import { loginRedirect } from "../sign-in-redirect.ts";

/** Project pages (the HTML face of `Group` actors) and the forms to create and edit projects. */
export function createProjectRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { config } = deps;
  const { projects, updates } = deps.services;

  const renderForm = (c: Context<AppEnv>, status: 200 | 403 | 404 | 409 | 413 | 415 | 422, values: ProjectFormValues, errors: FieldErrors, project?: ProjectView, maintainers: { handle: string; name: string }[] = []) =>
    c.html(
      ProjectFormPage({
        page: pageContext(c, deps),
        editing: project ? { handle: project.handle, maintainers } : null,
        values,
        errors,
        host: config.publicUrl.host,
        summaryMax: PROJECT_SUMMARY_MAX,
      }),
      status,
    );

  routes.get("/projects/new", (c) => (c.get("viewer") ? renderForm(c, 200, EMPTY_PROJECT_FORM, {}) : loginRedirect(c)));

  routes.post("/projects/new", async (c) => {
    const viewer = c.get("viewer");
    if (!viewer) return loginRedirect(c);
    const body = await c.req.parseBody();
    const values = projectFormValues(body);
    const parsed = CreateProjectSchema.safeParse(projectInputFromForm(values));
    if (!parsed.success) return renderForm(c, 422, values, projectFieldErrors(parsed.error));
    let field = "avatar";
    try {
      const avatar = await uploadFormImage(deps, viewer.actorId, body.avatar, "avatar");
      field = "banner";
      const banner = await uploadFormImage(deps, viewer.actorId, body.banner, "banner");
      field = "form";
      const project = await projects.create(viewer.actorId, { ...parsed.data, avatar, banner });
      return c.redirect(actorPagePath(project.handle), 303);
    } catch (error) {
      const { status, errors } = formError(error, field);
      return renderForm(c, status, values, errors);
    }
  });

  const editable = async (c: Context<AppEnv>) => {
    const viewer = c.get("viewer");
    if (!viewer) return undefined;
    return { viewer, ...(await projects.requireMaintainer(c.req.param("handle") ?? "", viewer.actorId)) };
  };

  routes.get("/projects/:handle/edit", async (c) => {
    const found = await editable(c);
    if (!found) return loginRedirect(c);
    return renderForm(c, 200, projectFormValuesOf(found.project), {}, found.project, found.maintainers);
  });

  routes.post("/projects/:handle/edit", async (c) => {
    const found = await editable(c);
    if (!found) return loginRedirect(c);
    const { viewer, project, maintainers } = found;
    const body = await c.req.parseBody();
    const values = { ...projectFormValues(body), handle: project.handle };
    const { handle: _, ...input } = projectInputFromForm(values);
    const parsed = EditProjectSchema.safeParse(input);
    if (!parsed.success) return renderForm(c, 422, values, projectFieldErrors(parsed.error), project, maintainers);
    let field = "avatar";
    try {
      const avatar = await uploadFormImage(deps, viewer.actorId, body.avatar, "avatar");
      field = "banner";
      const banner = await uploadFormImage(deps, viewer.actorId, body.banner, "banner");
      field = "form";
      await projects.edit(viewer.actorId, project.handle, { ...parsed.data, ...(avatar && { avatar }), ...(banner && { banner }) });
      return c.redirect(actorPagePath(project.handle), 303);
    } catch (error) {
      const { status, errors } = formError(error, field);
      return renderForm(c, status, values, errors, project, maintainers);
    }
  });

  routes.post("/projects/:handle/maintainers", async (c) => {
    const found = await editable(c);
    if (!found) return loginRedirect(c);
    const body = await c.req.parseBody();
    const handle = formText(body, "maintainer").trim();
    try {
      if (handle === "") return renderForm(c, 422, projectFormValuesOf(found.project), { maintainer: "Enter the handle of a member of this node." }, found.project, found.maintainers);
      await projects.addMaintainer(found.viewer.actorId, found.project.handle, { handle: handle.toLowerCase() });
      return c.redirect(`/projects/${found.project.handle}/edit`, 303);
    } catch (error) {
      const { status, errors } = formError(error, "maintainer", false);
      return renderForm(c, status, projectFormValuesOf(found.project), errors, found.project, found.maintainers);
    }
  });

  // Hashtag links in summaries, updates and profile fields lead here.
  routes.get("/tags/:tag", async (c) => {
    const raw = c.req.param("tag");
    const tag = normalizeHashtag(raw);
    if (tag === null) return c.notFound();
    if (tag !== raw) return c.redirect(`/tags/${encodeURIComponent(tag)}`, 301);
    const [tagged, taggedUpdates] = await Promise.all([projects.recordsTagged(tag, 100), updates.tagged(tag, 50)]);
    const cards = updateCards(deps, taggedUpdates);
    const handles = taggedUpdates.map(({ update }) => update.projectHandle);
    const names = await projects.namesOf(handles);
    return c.html(
      TagPage({
        page: pageContext(c, deps),
        tag,
        projects: tagged.map((p) => projectListItem(deps, p)),
        updates: cards.map((card, i) => ({ ...card, projectName: names.get(handles[i]!) ?? handles[i]!, projectUrl: actorPagePath(handles[i]!) })),
      }),
    );
  });

  return routes;
}

/** Updates as cards, with their counts of replies, likes and boosts. */
export function updateCards(deps: AppDeps, updates: readonly UpdateWithCounts[]): UpdateCardProps[] {
  return updates.map(({ update: u, counts }) => ({
    url: new URL(notePath(u.projectHandle, u.id), deps.config.publicUrl).href,
    contentHtml: u.contentHtml,
    images: u.images.map((i) => ({ url: i.url, alt: i.alt, width: i.width, height: i.height })),
    published: u.publishedAt,
    edited: u.editedAt,
    pinned: u.pinnedAt !== null,
    counts,
  }));
}

/** The node's projects for the front page: newest first, archived last. */
export async function projectListItems(deps: AppDeps, limit = 100): Promise<ProjectListItem[]> {
  return (await deps.services.projects.records(limit)).map((p) => projectListItem(deps, p));
}

function projectListItem(deps: AppDeps, p: ProjectRecord): ProjectListItem {
  const summary = htmlToText(p.summaryHtml).replace(/\s+/g, " ");
  return {
    name: p.name,
    url: actorPagePath(p.handle),
    fediverseHandle: fediverseHandle(deps, p.handle),
    summary: summary.length > 200 ? `${summary.slice(0, 199)}…` : summary,
    tags: p.tags,
    avatarUrl: p.avatarMediaId === null ? null : mediaUrl(deps.config.publicUrl, p.avatarMediaId),
    archived: p.archivedAt !== null,
  };
}

/** A project's page (the HTML face of its `Group`): profile, maintainers, updates with their counts. */
export async function projectPage(deps: AppDeps, c: Context<AppEnv>, handle: string): Promise<Response> {
  const { config } = deps;
  const { projects, updates } = deps.services;
  const { project, maintainers, followersCount } = await projects.details(handle);
  const listed = await updates.list(project, { limit: 50, pinnedFirst: true });
  const viewer = c.get("viewer");
  return await c.html(
    ProjectPage({
      page: pageContext(c, deps),
      handle: project.handle,
      name: project.name,
      fediverseHandle: fediverseHandle(deps, project.handle),
      actorIri: new URL(actorPagePath(project.handle), config.publicUrl).href,
      summaryHtml: project.summaryHtml,
      avatar: project.avatar && { url: project.avatar.url, alt: project.avatar.alt || `Avatar of ${project.name}` },
      banner: project.banner && { url: project.banner.url, alt: project.banner.alt },
      tags: project.tags.map((name) => ({ name, url: tagUrl(tagBaseUrl(config.publicUrl), name) })),
      location: project.location,
      listed: project.listed,
      website: project.website,
      maintainers: maintainers.map((m) => ({ handle: m.handle, name: m.name, url: actorPagePath(m.handle) })),
      followersCount,
      archived: project.archivedAt !== null,
      updates: updateCards(deps, listed),
      canMaintain: viewer ? maintainers.some((m) => m.actorId === viewer.actorId) : false,
    }),
  );
}
