import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { ReleaseInputSchema } from "../../server/modules/designs/design.schema.ts";
import type { DesignView } from "../../server/modules/designs/index.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { DOCUMENTATION_READINESS_LEVELS, TECHNOLOGY_READINESS_LEVELS } from "../components/designs/readiness-levels.ts";
import { releaseFormValues, releaseInputFromForm } from "../design-form-values.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { EMPTY_RELEASE_FORM, ReleaseFormPage, type ReleaseFormValues } from "../pages/release-form-page.ts";
import { formError } from "../project-form-values.ts";
import { loginRedirect } from "../sign-in-redirect.ts";
import { releaseUploadErrors, withFormFiles } from "../release-form-upload.ts";
import { releasePage } from "./design-pages.ts";

const DESIGN = "/:actorPath{@[A-Za-z0-9_.-]+}";

/** A release's page and the form that publishes one (the script uploads to the API; without it, here). */
export function createDesignReleaseRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { designs } = deps.services;
  const handleOf = (c: Context<AppEnv>) => c.req.param("actorPath")!.slice(1);

  const renderForm = (c: Context<AppEnv>, status: 200 | 404 | 409 | 413 | 415 | 422, design: DesignView, values: ReleaseFormValues, errors: FieldErrors) =>
    c.html(
      ReleaseFormPage({
        page: pageContext(c, deps),
        design: { handle: design.handle, name: design.name, url: actorPagePath(design.handle), licence: design.licence },
        values,
        errors,
        trlLevels: TECHNOLOGY_READINESS_LEVELS,
        drlLevels: DOCUMENTATION_READINESS_LEVELS,
        uploadUrl: `/api/v1/designs/${design.handle}/releases`,
        limits: { fileMaxBytes: deps.config.designFileMaxBytes, releaseMaxBytes: deps.config.designReleaseMaxBytes },
      }),
      status,
    );

  /** The design, when the viewer maintains it (404 for no such design, 403 for a non-maintainer). */
  const maintained = async (c: Context<AppEnv>) => {
    const viewer = c.get("viewer");
    if (!viewer) return undefined;
    return { viewer, design: await designs.requireMaintainer(handleOf(c), viewer.actorId) };
  };

  routes.get(`${DESIGN}/releases/new`, async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    return renderForm(c, 200, found.design, EMPTY_RELEASE_FORM, {});
  });

  routes.post(`${DESIGN}/releases/new`, async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    const form = await c.req.formData();
    const fields = new Map<string, string>();
    for (const [name, value] of form) if (typeof value === "string" && !fields.has(name)) fields.set(name, value);
    const values = releaseFormValues(fields);
    const { input, rowIndex } = releaseInputFromForm(values);
    const parsed = ReleaseInputSchema.safeParse(input);
    if (!parsed.success) return renderForm(c, 422, found.design, values, releaseFieldErrors(parsed.error.issues, rowIndex));
    try {
      const release = await withFormFiles(deps, form.getAll("files"), (files) => designs.publishRelease(found.viewer.actorId, found.design.handle, parsed.data, files));
      return c.redirect(new URL(release.url).pathname, 303);
    } catch (error) {
      const upload = releaseUploadErrors(error);
      if (upload) return renderForm(c, upload.status, found.design, values, upload.errors);
      const { status, errors } = formError(error, "form");
      return renderForm(c, status, found.design, values, errors);
    }
  });

  routes.get(`${DESIGN}/releases/:version`, async (c) => {
    c.header("Vary", "Accept");
    return await releasePage(deps, c, handleOf(c), c.req.param("version"));
  });

  return routes;
}

/** zod issues as messages by field; a BOM issue names its input (bomQuantity2) as shown in the form, where empty rows still count. */
export function releaseFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], rowIndex: readonly number[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [first, row, column] = issue.path.map(String);
    const field = first === "bom" && row !== undefined && column !== undefined ? `bom${column[0]!.toUpperCase()}${column.slice(1)}${rowIndex[Number(row)] ?? row}` : (first ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}
