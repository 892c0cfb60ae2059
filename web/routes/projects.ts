import { type Context, Hono } from "hono";
import { projectPublisherFor } from "../../federation/projects.ts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { countReactions, NO_COUNTS } from "../../server/modules/notes/note-reactions.queries.ts";
import { listProjectUpdates, listUpdatesTagged, type ProjectUpdate } from "../../server/modules/notes/update.service.ts";
import { isMaintainer } from "../../server/modules/projects/project.repository.ts";
import { countFollowers, listMaintainers, listProjects, listProjectsByTag, type ProjectRecord } from "../../server/modules/projects/project.queries.ts";
import { CreateProjectSchema, EditProjectSchema, PROJECT_SUMMARY_MAX } from "../../server/modules/projects/project.schema.ts";
import { addMaintainer, createProject, editProject, loadProject, projectDepsOf, type ProjectView, requireMaintainer, requireProject, tagBaseUrl } from "../../server/modules/projects/project.service.ts";
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

  // Same URL as the actor document: Fedify answers ActivityPub requests, this answers browsers.
  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}", async (c, next) => {
    const project = await loadProject(deps.db, config.publicUrl, c.req.param("actorPath").slice(1));
    if (project === undefined) return next();
    const viewer = c.get("viewer");
    const [maintainers, followersCount, updates, canMaintain] = await Promise.all([
      listMaintainers(deps.db, project.actorId),
      countFollowers(deps.db, project.actorId),
      listProjectUpdates(deps.db, config.publicUrl, project, { limit: 50, pinnedFirst: true }),
      viewer ? isMaintainer(deps.db, project.actorId, viewer.actorId) : false,
    ]);
    c.header("Vary", "Accept");
    return c.html(
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
        updates: await updateCards(deps, updates),
        canMaintain,
      }),
    );
  });

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
      const project = await createProject(projectDepsOf(deps), viewer.actorId, { ...parsed.data, avatar, banner }, projectPublisherFor(deps.federation, deps, c.req.raw));
      return c.redirect(actorPagePath(project.handle), 303);
    } catch (error) {
      const { status, errors } = formError(error, field);
      return renderForm(c, status, values, errors);
    }
  });

  const editable = async (c: Context<AppEnv>) => {
    const viewer = c.get("viewer");
    if (!viewer) return undefined;
    const project = await requireProject(deps.db, config.publicUrl, c.req.param("handle") ?? "");
    await requireMaintainer(deps.db, project, viewer.actorId);
    return { viewer, project, maintainers: await listMaintainers(deps.db, project.actorId) };
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
      await editProject(projectDepsOf(deps), viewer.actorId, project.handle, { ...parsed.data, ...(avatar && { avatar }), ...(banner && { banner }) }, projectPublisherFor(deps.federation, deps, c.req.raw));
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
      await addMaintainer(projectDepsOf(deps), found.viewer.actorId, found.project.handle, { handle: handle.toLowerCase() });
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
    const [projects, updates] = await Promise.all([listProjectsByTag(deps.db, tag, 100), listUpdatesTagged(deps.db, config.publicUrl, tag, 50)]);
    const cards = await updateCards(deps, updates);
    const names = new Map((await Promise.all([...new Set(updates.map((u) => u.projectHandle))].map((h) => loadProject(deps.db, config.publicUrl, h)))).flatMap((p) => (p ? [[p.handle, p.name] as const] : [])));
    return c.html(
      TagPage({
        page: pageContext(c, deps),
        tag,
        projects: projects.map((p) => projectListItem(deps, p)),
        updates: cards.map((card, i) => ({ ...card, projectName: names.get(updates[i]!.projectHandle) ?? updates[i]!.projectHandle, projectUrl: actorPagePath(updates[i]!.projectHandle) })),
      }),
    );
  });

  return routes;
}

/** Updates as cards, with their counts of replies, likes and boosts. */
export async function updateCards(deps: AppDeps, updates: readonly ProjectUpdate[]): Promise<UpdateCardProps[]> {
  const counts = await countReactions(deps.db, updates.map((u) => u.id));
  return updates.map((u) => ({
    url: new URL(notePath(u.projectHandle, u.id), deps.config.publicUrl).href,
    contentHtml: u.contentHtml,
    images: u.images.map((i) => ({ url: i.url, alt: i.alt, width: i.width, height: i.height })),
    published: u.publishedAt,
    edited: u.editedAt,
    pinned: u.pinnedAt !== null,
    counts: counts.get(u.id) ?? NO_COUNTS,
  }));
}

/** The node's projects for the front page: newest first, archived last. */
export async function projectListItems(deps: AppDeps, limit = 100): Promise<ProjectListItem[]> {
  return (await listProjects(deps.db, limit)).map((p) => projectListItem(deps, p));
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
