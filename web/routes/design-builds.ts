import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { MadeReportSchema } from "../../server/modules/made-reports/index.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { statusOf } from "../../server/http/error-status.ts";
import { MADE_PHOTO_SLOTS, type MadeFormValues } from "../components/designs/made-report-form.ts";
import { madeFormValues } from "../design-form-values.ts";
import { fieldErrors } from "../form-values.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { uploadFormImage } from "../project-form-values.ts";
import { loginRedirect } from "../sign-in-redirect.ts";
import { releasePage } from "./design-pages.ts";

const DESIGN = "/:actorPath{@[A-Za-z0-9_.-]+}";
const ACTIVITY_JSON = /application\/(?:activity\+json|ld\+json)/i;

/**
 * The report-a-build form of a release page, and the HTML face of a design's forks and made-here
 * collections (their ActivityPub documents are served before this: a browser lands on the part of
 * the design page that shows them).
 */
export function createDesignBuildRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const handleOf = (c: Context<AppEnv>) => c.req.param("actorPath")!.slice(1);

  routes.post(`${DESIGN}/releases/:version/made`, async (c) => {
    const viewer = c.get("viewer");
    if (!viewer) return loginRedirect(c);
    const handle = handleOf(c);
    const version = c.req.param("version");
    const body = await c.req.parseBody();
    const values = madeFormValues(body);
    const again = (status: 404 | 409 | 413 | 415 | 422, errors: FieldErrors) => releasePage(deps, c, handle, version, { values, errors, status });

    const fields = reportInput(values, []);
    const checked = MadeReportSchema.safeParse(fields);
    const photoErrors = missingAlts(body, values);
    if (!checked.success || Object.keys(photoErrors).length > 0) return await again(422, { ...(checked.success ? {} : fieldErrors(checked.error)), ...photoErrors });
    try {
      const media: { id: string; description: string }[] = [];
      for (let i = 0; i < MADE_PHOTO_SLOTS; i += 1) {
        const id = await uploadPhoto(deps, viewer.actorId, body[`photo${i}`], values.alts[i] ?? "", `photo${i}`);
        if (id !== undefined) media.push({ id, description: values.alts[i]!.trim() });
      }
      const input = MadeReportSchema.parse(reportInput(values, media));
      await deps.services.madeReports.report({ actorId: viewer.actorId, handle: viewer.handle, name: viewer.displayName }, handle, version, input);
      return c.redirect(`/@${handle}/releases/${encodeURIComponent(version)}#made-heading`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = statusOf(error);
      if (status !== 404 && status !== 409 && status !== 413 && status !== 415 && status !== 422) throw error;
      const field = error.issues?.[0]?.path.split(".")[0] ?? (error as DomainError & { field?: string }).field ?? "form";
      return await again(status, { [field]: error.issues?.[0]?.message ?? error.message });
    }
  });

  // Browsers following a collection's URL see it on the design page.
  for (const [collection, anchor] of [["forks", "forks-heading"], ["made", "made-heading"]] as const) {
    routes.get(`${DESIGN}/${collection}`, async (c, next) => {
      if (ACTIVITY_JSON.test(c.req.header("accept") ?? "")) return await next();
      const handle = handleOf(c);
      if ((await deps.services.designs.find(handle)) === undefined) return c.notFound();
      c.header("Vary", "Accept");
      return c.redirect(`/@${handle}#${anchor}`, 303);
    });
  }

  return routes;
}

/** The schema's input from the form: empty optional fields left out, coordinates and date as typed. */
function reportInput(values: MadeFormValues, media: readonly { id: string; description: string }[]): Record<string, unknown> {
  const optional = (v: string) => (v.trim() === "" ? undefined : v);
  return {
    place: values.place,
    latitude: values.latitude,
    longitude: values.longitude,
    madeAt: values.madeAt,
    facility: optional(values.facility),
    directoryEntry: optional(values.directoryEntry),
    notes: values.notes,
    deviations: values.deviations,
    media,
  };
}

/** A photo without a description shuts out people who cannot see it: the form asks for one. */
function missingAlts(body: Record<string, unknown>, values: MadeFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (let i = 0; i < MADE_PHOTO_SLOTS; i += 1) {
    const file = body[`photo${i}`];
    if (file instanceof Blob && file.size > 0 && (values.alts[i] ?? "").trim() === "") errors[`alt${i}`] = "describe the photo for people who cannot see it";
  }
  return errors;
}

/** A chosen photo through the media pipeline (EXIF stripped, WebP); errors are put on its own field. */
async function uploadPhoto(deps: AppDeps, actorId: number, file: unknown, alt: string, field: string): Promise<string | undefined> {
  try {
    return await uploadFormImage(deps, actorId, file, "attachment", alt.trim());
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.kind, error.code, error.message, [{ path: field, message: error.message }]);
    throw error;
  }
}
