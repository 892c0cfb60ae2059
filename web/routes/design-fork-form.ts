import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { type ErrorStatus, statusOf } from "../../server/http/error-status.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { formText } from "../form-values.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { EMPTY_FORK_FORM, ForkFormPage, type ForkFormValues } from "../pages/fork-form-page.ts";
import { loginRedirect } from "../sign-in-redirect.ts";

/** "Fork a design": a member of this node forks a release of another node by its URL (design-forks does the work). */
export function createDesignForkFormRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const render = (c: Context<AppEnv>, status: 200 | ErrorStatus, values: ForkFormValues, errors: FieldErrors) =>
    c.html(ForkFormPage({ page: pageContext(c, deps), values, errors, host: deps.config.publicUrl.host }), status);

  // ?source= lets a release page elsewhere link straight to a filled form.
  routes.get("/designs/fork", (c) => (c.get("viewer") ? render(c, 200, { ...EMPTY_FORK_FORM, source: c.req.query("source") ?? "" }, {}) : loginRedirect(c)));

  routes.post("/designs/fork", async (c) => {
    const viewer = c.get("viewer");
    if (!viewer) return loginRedirect(c);
    const body = await c.req.parseBody();
    const values: ForkFormValues = { source: formText(body, "source").trim(), handle: formText(body, "handle").trim() };
    if (values.source === "") return render(c, 422, values, { source: "Paste the address of a release, e.g. https://city.example/@solar-dryer/releases/1.0.0." });
    try {
      const design = await deps.services.designForks.fork(viewer.actorId, { source: values.source, ...(values.handle !== "" && { handle: values.handle }) });
      return c.redirect(actorPagePath(design.handle), 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = statusOf(error);
      // A refusal names the rule (a charter licence rule, a blocked host, a file that did not match its hash).
      const field = error.issues?.[0]?.path.split(".")[0] === "handle" ? "handle" : "source";
      return render(c, status, values, { [field]: error.issues?.[0]?.message ?? error.message });
    }
  });

  return routes;
}
