import type { Federation } from "@fedify/fedify";
import type { Context as HonoContext, MiddlewareHandler } from "hono";

/**
 * Hands requests to Fedify first; what Fedify does not serve (or serves only as ActivityPub, when the
 * client wants HTML) falls through to the Hono routes on the same path. There is no @fedify/hono on
 * the registry (stack-notes pitfall 3), and this is all it does.
 */
export function fedifyMiddleware<T>(federation: Federation<T>, contextData: (c: HonoContext) => T): MiddlewareHandler {
  return async (c, next) =>
    await federation.fetch(c.req.raw, {
      contextData: contextData(c),
      onNotFound: async () => {
        await next();
        return c.res;
      },
      onNotAcceptable: async () => {
        await next();
        if (c.res.status !== 404) return c.res;
        return new Response("Not acceptable: this resource is available as ActivityPub JSON only.", {
          status: 406,
          headers: { "Content-Type": "text/plain; charset=utf-8", Vary: "Accept" },
        });
      },
    });
}
