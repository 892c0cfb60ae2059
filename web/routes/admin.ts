import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { requireAdmin } from "../../server/http/viewer.ts";
import { conflict, notFound } from "../../server/platform/errors.ts";
import { pageContext } from "../page-context.ts";
import { AdminAccountsPage } from "../pages/admin-accounts-page.ts";
import { loginRedirect } from "../sign-in-redirect.ts";

const AccountIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const INVITE_DAYS = 7;
const RECENT_REJECTIONS = 20;

/** The admins' accounts page: approve, suspend and reinstate members, make invite codes, see delivery health. */
export function createAdminRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { accounts } = deps.services;

  const render = async (c: Context<AppEnv>, invite?: { code: string; expiresAt: Date }) => {
    const [pending, active, suspended, { hosts, rejections }] = await Promise.all([
      accounts.profilesWithStatus("pending"),
      accounts.profilesWithStatus("active"),
      accounts.profilesWithStatus("disabled"),
      deps.services.deliveryHealth.report(RECENT_REJECTIONS),
    ]);
    return c.html(
      AdminAccountsPage({
        page: pageContext(c, deps),
        mode: await deps.services.charter.registrationMode(),
        pending: pending.map((p) => ({ id: p.accountId, handle: p.handle, displayName: p.displayName, registeredAt: p.createdAt })),
        active: active.map((p) => ({ id: p.accountId, handle: p.handle, displayName: p.displayName })),
        suspended: suspended.map((p) => ({ id: p.accountId, handle: p.handle, displayName: p.displayName })),
        invite,
        deliveryHealth: { hosts, rejections },
      }),
    );
  };

  routes.get("/admin/accounts", async (c) => {
    if (!c.get("viewer")) return loginRedirect(c);
    requireAdmin(c);
    return await render(c);
  });

  routes.post("/admin/accounts/:id/approve", async (c) => {
    const admin = requireAdmin(c);
    const id = AccountIdSchema.safeParse(c.req.param("id"));
    const result = id.success ? await accounts.approve(id.data, admin.handle) : "not_found";
    if (result === "not_found") throw notFound("There is no such account.");
    if (result === "disabled") throw conflict("This account is disabled; it cannot be approved.");
    return c.redirect("/admin/accounts", 303);
  });

  routes.post("/admin/accounts/:id/suspend", async (c) => {
    const admin = requireAdmin(c);
    const id = AccountIdSchema.safeParse(c.req.param("id"));
    const result = id.success ? await accounts.suspend(id.data, admin) : "not_found";
    if (result === "not_found") throw notFound("There is no such account.");
    if (result === "self") throw conflict("Admins cannot suspend their own account.");
    return c.redirect("/admin/accounts", 303);
  });

  routes.post("/admin/accounts/:id/reinstate", async (c) => {
    const admin = requireAdmin(c);
    const id = AccountIdSchema.safeParse(c.req.param("id"));
    const result = id.success ? await accounts.reinstate(id.data, admin) : "not_found";
    if (result === "not_found") throw notFound("There is no such account.");
    return c.redirect("/admin/accounts", 303);
  });

  routes.post("/admin/invites", async (c) => {
    const admin = requireAdmin(c);
    const invite = await accounts.invite(admin.id, INVITE_DAYS);
    c.header("Cache-Control", "no-store");
    return await render(c, invite);
  });

  return routes;
}
