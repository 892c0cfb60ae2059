import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { CreateDesignSchema } from "../../server/modules/designs/design.schema.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { designFormValues, designInputFromForm } from "../design-form-values.ts";
import { fieldErrors } from "../form-values.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { DesignFormPage, type DesignFormValues, EMPTY_DESIGN_FORM } from "../pages/design-form-page.ts";
import { formError } from "../project-form-values.ts";
import { loginRedirect } from "../sign-in-redirect.ts";

/** The new-design form. Releases, forks and build reports have their own route files. */
export function createDesignRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { designs, projects } = deps.services;

  const renderForm = async (c: Context<AppEnv>, status: 200 | 404 | 409 | 413 | 415 | 422, values: DesignFormValues, errors: FieldErrors) =>
    c.html(
      DesignFormPage({
        page: pageContext(c, deps),
        values,
        errors,
        host: deps.config.publicUrl.host,
        projects: (await projects.records(200)).filter((p) => p.archivedAt === null).map((p) => ({ handle: p.handle, name: p.name })),
      }),
      status,
    );

  routes.get("/designs/new", async (c) => (c.get("viewer") ? await renderForm(c, 200, EMPTY_DESIGN_FORM, {}) : loginRedirect(c)));

  routes.post("/designs/new", async (c) => {
    const viewer = c.get("viewer");
    if (!viewer) return loginRedirect(c);
    const values = designFormValues(await c.req.parseBody());
    const parsed = CreateDesignSchema.safeParse(designInputFromForm(values));
    if (!parsed.success) return await renderForm(c, 422, values, fieldErrors(parsed.error));
    try {
      const design = await designs.create(viewer.actorId, parsed.data);
      return c.redirect(actorPagePath(design.handle), 303);
    } catch (error) {
      const { status, errors } = formError(error, "form");
      return await renderForm(c, status, values, errors);
    }
  });

  return routes;
}
