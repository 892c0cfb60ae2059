import { type Context, Hono } from "hono";
import { actorPagePath, notePath } from "../../federation/uris.ts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { DomainError, gone, notFound } from "../../server/platform/errors.ts";
import { UUID_PATTERN } from "../../server/platform/ids.ts";
import { EditUpdateSchema, PostUpdateSchema, UPDATE_CONTENT_MAX, UPDATE_IMAGES_MAX } from "../../server/modules/notes/update.schema.ts";
import type { ProjectUpdate } from "../../server/modules/notes/index.ts";
import type { ProjectView } from "../../server/modules/projects/index.ts";
import { sanitizeHtml } from "../../server/platform/text/sanitize-html.ts";
import { fieldErrors, formText } from "../form-values.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { UpdateFormPage } from "../pages/update-form-page.ts";
import { UpdatePage } from "../pages/update-page.ts";
import { formError, uploadFormImage } from "../project-form-values.ts";
import { loginRedirect } from "../sign-in-redirect.ts";
import { updateCards } from "./projects.ts";

const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";

/** Update pages (the HTML face of their `Note`s) and the forms to post, edit, pin and delete updates. */
export function createUpdateRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { config } = deps;
  const { projects, updates } = deps.services;

  // Fedify serves the Note to ActivityPub clients; a deleted one reaches here and answers 410 in both forms.
  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}/updates/:id", async (c, next) => {
    const project = await projects.find(c.req.param("actorPath").slice(1));
    const id = c.req.param("id");
    if (project === undefined || !UUID_PATTERN.test(id)) return next();
    const update = await updates.find(project, id);
    if (update === undefined) return next();
    c.header("Vary", "Accept");
    if (update.deletedAt !== null) return goneResponse(c, new URL(notePath(project.handle, id), config.publicUrl).href, update.deletedAt);
    const viewer = c.get("viewer");
    const [replies, counts, canMaintain] = await Promise.all([
      updates.replies(update),
      updates.counts(update),
      viewer ? projects.isMaintainer(project, viewer.actorId) : false,
    ]);
    const [card] = updateCards(deps, [{ update, counts }]);
    return c.html(
      UpdatePage({
        page: pageContext(c, deps),
        project: { handle: project.handle, name: project.name, url: actorPagePath(project.handle), fediverseHandle: fediverseHandle(deps, project.handle) },
        update: card!,
        // Stored sanitised by the inbox; sanitised again when shown, as defence in depth.
        replies: replies.map((r) => ({
          authorName: r.author.name,
          authorHandle: r.author.handle,
          authorIri: r.author.iri,
          authorUrl: r.author.url,
          avatarUrl: r.author.iconUrl,
          contentHtml: sanitizeHtml(r.contentHtml),
          summary: r.summary,
          url: r.url ?? r.iri,
          published: r.publishedAt,
        })),
        canMaintain,
      }),
    );
  });

  const renderForm = (c: Context<AppEnv>, status: 200 | 404 | 409 | 413 | 415 | 422, project: ProjectView, update: ProjectUpdate | null, content: string, alts: string[], errors: FieldErrors) =>
    c.html(
      UpdateFormPage({
        page: pageContext(c, deps),
        project: { handle: project.handle, name: project.name },
        editing: update && { id: update.id, images: update.images.map((i) => ({ url: i.url, alt: i.alt })) },
        content,
        alts,
        errors,
        contentMax: UPDATE_CONTENT_MAX,
        imagesMax: UPDATE_IMAGES_MAX,
      }),
      status,
    );

  /** The project, when the viewer may maintain it (403 otherwise); undefined when not signed in. */
  const maintained = async (c: Context<AppEnv>) => {
    const viewer = c.get("viewer");
    if (!viewer) return undefined;
    const { project } = await projects.requireMaintainer(c.req.param("handle") ?? "", viewer.actorId);
    return { viewer, project };
  };

  routes.get("/projects/:handle/updates/new", async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    if (found.project.archivedAt !== null) throw new DomainError("conflict", "conflict", `@${found.project.handle} is archived and takes no new updates.`);
    return renderForm(c, 200, found.project, null, "", [], {});
  });

  routes.post("/projects/:handle/updates/new", async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    const { viewer, project } = found;
    const body = await c.req.parseBody();
    const content = formText(body, "content");
    const alts = Array.from({ length: UPDATE_IMAGES_MAX }, (_, i) => formText(body, `alt${i}`));
    const parsed = PostUpdateSchema.safeParse({ content });
    if (!parsed.success) return renderForm(c, 422, project, null, content, alts, fieldErrors(parsed.error));
    let field = "image0";
    try {
      if (project.archivedAt !== null) throw new DomainError("conflict", "conflict", `@${project.handle} is archived and takes no new updates.`);
      const images: { id: string }[] = [];
      for (let i = 0; i < UPDATE_IMAGES_MAX; i++) {
        field = `image${i}`;
        const id = await uploadFormImage(deps, viewer.actorId, body[`image${i}`], "attachment", alts[i]);
        if (id !== undefined) images.push({ id });
      }
      field = "form";
      const update = await updates.post(viewer.actorId, project.handle, { ...parsed.data, images });
      return c.redirect(notePath(project.handle, update.id), 303);
    } catch (error) {
      const { status, errors } = formError(error, field, false);
      return renderForm(c, status, project, null, content, alts, errors);
    }
  });

  const liveUpdate = async (c: Context<AppEnv>, project: ProjectView) => {
    const id = c.req.param("id") ?? "";
    if (!UUID_PATTERN.test(id)) throw notFound(`There is no update ${id}.`);
    return await updates.requireLive(project, id);
  };

  routes.get("/projects/:handle/updates/:id/edit", async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    const update = await liveUpdate(c, found.project);
    return renderForm(c, 200, found.project, update, update.contentSource, update.images.map((i) => i.alt), {});
  });

  routes.post("/projects/:handle/updates/:id/edit", async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    const update = await liveUpdate(c, found.project);
    const body = await c.req.parseBody();
    const content = formText(body, "content");
    const alts = update.images.map((_, i) => formText(body, `alt${i}`));
    const parsed = EditUpdateSchema.safeParse({ content, images: update.images.map((image, i) => ({ id: image.id, description: alts[i] })) });
    if (!parsed.success) return renderForm(c, 422, found.project, update, content, alts, fieldErrors(parsed.error));
    try {
      await updates.edit(found.viewer.actorId, found.project.handle, update.id, parsed.data);
    } catch (error) {
      const { status, errors } = formError(error, "form");
      return renderForm(c, status, found.project, update, content, alts, errors);
    }
    return c.redirect(notePath(found.project.handle, update.id), 303);
  });

  routes.post("/projects/:handle/updates/:id/pin", async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    const update = await liveUpdate(c, found.project);
    const body = await c.req.parseBody();
    const pinned = formText(body, "pinned") === "true";
    await updates.edit(found.viewer.actorId, found.project.handle, update.id, { pinned });
    return c.redirect(notePath(found.project.handle, update.id), 303);
  });

  routes.post("/projects/:handle/updates/:id/delete", async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    const update = await liveUpdate(c, found.project);
    await updates.delete(found.viewer.actorId, found.project.handle, update.id);
    return c.redirect(actorPagePath(found.project.handle), 303);
  });

  return routes;
}

/** A deleted update: a `Tombstone` for ActivityPub clients, an HTML page for browsers, both 410. */
function goneResponse(c: Context<AppEnv>, iri: string, deletedAt: Date): Response {
  const accept = c.req.header("accept") ?? "";
  if (/application\/(activity\+json|ld\+json)/i.test(accept)) {
    const body = { "@context": AS_CONTEXT, id: iri, type: "Tombstone", formerType: "Note", deleted: deletedAt.toISOString() };
    return c.body(JSON.stringify(body), 410, { "Content-Type": "application/activity+json" });
  }
  throw gone("This update was deleted.");
}
