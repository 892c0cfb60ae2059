import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { clientAddress } from "../../server/http/client-address.ts";
import { AuthorizeFollowSchema, acctOf } from "../../server/modules/following/following.schemas.ts";
import { createWebFingerLookup, subscribeUrl, type WebFingerLookup } from "../../federation/remote-follow.ts";
import { fieldErrors, formText } from "../form-values.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { AuthorizeFollowPage } from "../pages/authorize-follow-page.ts";

export interface AuthorizeFollowOptions {
  /** WebFinger over https cannot reach loopback test peers (docs/stack.md#fedify): tests pass a fake. */
  readonly lookupWebFinger?: WebFingerLookup;
}

/**
 * "Follow from your fediverse account" (webfinger_serializer.rb's subscribe template): a visitor of a project page gives
 * their own handle; their server's WebFinger names its subscribe template, and the visitor is sent
 * there (303) to follow our actor while signed in at home. Anyone may use it; the form carries `_csrf`,
 * and lookups are rate-limited per client address (each one makes the node connect to another host).
 */
export function createAuthorizeFollowRoutes(deps: AppDeps, options: AuthorizeFollowOptions = {}): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const lookup = options.lookupWebFinger ?? createWebFingerLookup(deps.federation, { db: deps.db, box: deps.box, config: deps.config, services: deps.services });

  const render = (c: Context<AppEnv>, status: 200 | 422 | 429, values: { acct: string; target: string }, errors: FieldErrors) =>
    c.html(AuthorizeFollowPage({ page: pageContext(c, deps), ...values, errors }), status);

  routes.get("/authorize_follow", (c) => render(c, 200, { acct: c.req.query("acct") ?? "", target: c.req.query("target") ?? "" }, {}));

  routes.post("/authorize_follow", async (c) => {
    const body = await c.req.parseBody();
    const values = { acct: formText(body, "acct"), target: formText(body, "target") };
    const parsed = AuthorizeFollowSchema.safeParse(values);
    if (!parsed.success) return render(c, 422, values, fieldErrors(parsed.error));
    if (new URL(parsed.data.target).origin !== deps.config.publicUrl.origin) {
      return render(c, 422, values, { form: "Only accounts on this node can be followed from here." });
    }
    const allowance = await deps.services.accounts.allowRemoteFollowLookup(clientAddress(c, deps.config.trustProxy));
    if (!allowance.ok) {
      c.header("Retry-After", String(allowance.retryAfterSeconds));
      return render(c, 429, values, { form: allowance.message });
    }
    const acct = acctOf(parsed.data.acct);
    let descriptor: Awaited<ReturnType<WebFingerLookup>>;
    try {
      descriptor = await lookup(`acct:${acct}`);
    } catch {
      descriptor = null;
    }
    if (descriptor === null) return render(c, 422, values, { acct: `No fediverse account found for @${acct}.` });
    const url = subscribeUrl(descriptor, parsed.data.target);
    if (url === null) {
      return render(c, 422, values, { acct: `The server of @${acct} does not offer following from other sites; search for the account there instead.` });
    }
    return c.redirect(url.href, 303);
  });

  return routes;
}
