import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { clientAddress } from "../../server/http/client-address.ts";
import { safeRedirectPath } from "../../server/http/safe-redirect.ts";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../../server/http/session-cookie.ts";
import { blankToUndefined, LoginSchema, RegistrationSchema } from "../../server/modules/accounts/account.schemas.ts";
import { INVALID_CREDENTIALS_MESSAGE, REGISTRATION_CLOSED_MESSAGE } from "../../server/modules/accounts/index.ts";
import type { RegistrationMode } from "../../server/platform/config.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { fieldErrors, formText } from "../form-values.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { LoginPage } from "../pages/login-page.ts";
import { RegisterPage, RegistrationPendingPage } from "../pages/register-page.ts";
import { statusOf } from "../../server/http/error-status.ts";

type Status = 200 | 201 | 401 | 403 | 409 | 422 | 429;

/** Register, log in and log out. Every form carries `_csrf` (checked by server/auth/csrf.ts). */
export function createAuthRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { config } = deps;
  const { accounts } = deps.services;

  // The charter's registration mode, read per request: an admin's change applies at once.
  const registrationMode = () => deps.services.charter.registrationMode();
  const renderRegister = (c: Context<AppEnv>, mode: RegistrationMode, status: Status, values: Record<string, string>, errors: FieldErrors) =>
    c.html(RegisterPage({ page: pageContext(c, deps), mode, host: config.publicUrl.host, values, errors }), status);

  routes.get("/register", async (c) => {
    if (c.get("viewer")) return c.redirect("/", 303);
    return renderRegister(c, await registrationMode(), 200, {}, {});
  });

  routes.post("/register", async (c) => {
    const body = await c.req.parseBody();
    const values = { username: formText(body, "username"), displayName: formText(body, "displayName"), inviteCode: formText(body, "inviteCode") };
    const mode = await registrationMode();
    if (mode === "closed") return renderRegister(c, mode, 403, values, { form: REGISTRATION_CLOSED_MESSAGE });
    const parsed = RegistrationSchema.safeParse(blankToUndefined({ ...values, password: formText(body, "password") }));
    if (!parsed.success) return renderRegister(c, mode, 422, values, fieldErrors(parsed.error));
    const result = await accounts.register(mode, parsed.data, clientAddress(c, config.trustProxy));
    if (!result.ok && result.retryAfterSeconds !== undefined) c.header("Retry-After", String(result.retryAfterSeconds));
    if (!result.ok) return renderRegister(c, mode, statusOf(result) as Status, values, { [result.field ?? "form"]: result.message });
    if (result.profile.status !== "active") {
      return c.html(RegistrationPendingPage({ page: pageContext(c, deps), handle: fediverseHandle(deps, result.profile.handle) }), 201);
    }
    await startSession(c, deps, result.profile.accountId);
    return c.redirect(actorPagePath(result.profile.handle), 303);
  });

  const renderLogin = (c: Context<AppEnv>, status: Status, username: string, next: string, errors: FieldErrors) =>
    c.html(LoginPage({ page: pageContext(c, deps), username, next, errors }), status);

  routes.get("/login", (c) => {
    const next = safeRedirectPath(c.req.query("next"), config.publicUrl);
    if (c.get("viewer")) return c.redirect(next, 303);
    return renderLogin(c, 200, "", next, {});
  });

  routes.post("/login", async (c) => {
    const body = await c.req.parseBody();
    const username = formText(body, "username");
    const next = safeRedirectPath(formText(body, "next"), config.publicUrl);
    const parsed = LoginSchema.safeParse({ username, password: formText(body, "password") });
    if (!parsed.success) return renderLogin(c, 422, username, next, fieldErrors(parsed.error));
    const result = await accounts.signIn(parsed.data, clientAddress(c, deps.config.trustProxy));
    if (!result.ok) {
      if (result.reason === "rate_limited") c.header("Retry-After", String(result.retryAfterSeconds));
      const status = result.reason === "invalid" ? 401 : result.reason === "rate_limited" ? 429 : 403;
      return renderLogin(c, status, username, next, { form: result.reason === "invalid" ? INVALID_CREDENTIALS_MESSAGE : result.message });
    }
    await startSession(c, deps, result.account.id);
    return c.redirect(next, 303);
  });

  routes.post("/logout", async (c) => {
    const session = readSessionCookie(c, config.publicUrl);
    if (session) await accounts.endSession(session);
    clearSessionCookie(c, config.publicUrl);
    return c.redirect("/", 303);
  });

  return routes;
}

/**
 * Signs the browser in with a brand-new session id (docs/security.md#web, WEB-03: a session id planted
 * before sign-in is dropped, never promoted).
 */
async function startSession(c: Context<AppEnv>, deps: AppDeps, accountId: number): Promise<void> {
  const token = await deps.services.accounts.startSession(accountId, readSessionCookie(c, deps.config.publicUrl));
  writeSessionCookie(c, deps.config.publicUrl, token);
}
