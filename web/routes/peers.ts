import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { requireAdmin } from "../../server/http/viewer.ts";
import { DomainError, notFound } from "../../server/platform/errors.ts";
import { ConnectPeerSchema, PeerIdSchema } from "../../server/modules/peers/peer.schema.ts";
import { fieldErrors, formText } from "../form-values.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { AdminPeersPage } from "../pages/admin-peers-page.ts";
import { loginRedirect } from "../sign-in-redirect.ts";

const NOTICES: Readonly<Record<string, string>> = {
  connected: "Connection requested: the node follows back once its charter allows it.",
  approved: "Approved: the node is now followed back.",
  disconnected: "Disconnected: the peer and its listings were removed.",
};

/** The admins' peers page: the same actions as /api/v1/admin/peers, as forms. */
export function createPeerRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { charter, peers } = deps.services;

  const render = async (c: Context<AppEnv>, form: { url?: string; errors?: FieldErrors } = {}, status: 200 | 422 = 200) => {
    const [list, current] = await Promise.all([peers.list(), charter.current()]);
    const notice = NOTICES[c.req.query("done") ?? ""];
    const views = list.map((p) => ({ id: p.id, host: p.host, actor: p.actorIri, name: p.name, state: p.state, weFollow: p.weFollow, theyFollow: p.theyFollow }));
    return c.html(AdminPeersPage({ page: pageContext(c, deps), peers: views, mode: current.document.federation.mode, ...form, ...(notice && { notice }) }), status);
  };
  const peerId = (value: string | undefined) => {
    const id = PeerIdSchema.safeParse(value);
    if (!id.success) throw notFound("There is no such peer.");
    return id.data;
  };

  routes.get("/admin/peers", async (c) => {
    if (!c.get("viewer")) return loginRedirect(c);
    requireAdmin(c);
    return await render(c);
  });

  routes.post("/admin/peers", async (c) => {
    const admin = requireAdmin(c);
    const body = await c.req.parseBody();
    const url = formText(body, "url");
    const parsed = ConnectPeerSchema.safeParse({ url });
    if (!parsed.success) return await render(c, { url, errors: fieldErrors(parsed.error) }, 422);
    try {
      await peers.connect(parsed.data.url, { accountId: admin.id, handle: admin.handle });
    } catch (error) {
      if (error instanceof DomainError && error.kind === "invalid_input") return await render(c, { url, errors: { url: error.issues?.[0]?.message ?? error.message } }, 422);
      throw error;
    }
    return c.redirect("/admin/peers?done=connected", 303);
  });

  routes.post("/admin/peers/:id/approve", async (c) => {
    const admin = requireAdmin(c);
    await peers.approve(peerId(c.req.param("id")), { accountId: admin.id, handle: admin.handle });
    return c.redirect("/admin/peers?done=approved", 303);
  });

  routes.post("/admin/peers/:id/disconnect", async (c) => {
    requireAdmin(c);
    await peers.disconnect(peerId(c.req.param("id")));
    return c.redirect("/admin/peers?done=disconnected", 303);
  });

  return routes;
}
