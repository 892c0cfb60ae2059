import { Hono } from "hono";
import { releaseJsonLd } from "../../federation/designs.ts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";

const DESIGN = "/:actorPath{@[A-Za-z0-9_.-]+}";
const ACTIVITY_JSON = /application\/(?:activity\+json|ld\+json)/i;

/**
 * A release's URL for ActivityPub clients: its ForgeFed `Release` document (federation/designs.ts),
 * which other nodes fetch to fork it. Browsers fall through to the release's page. Fedify has no
 * `Release` type, so the document is served here rather than by an object dispatcher.
 */
export function createReleaseDocumentRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const ctx = deps.federation.createContext(new URL(deps.config.publicUrl), deps);

  routes.get(`${DESIGN}/releases/:version`, async (c, next) => {
    c.header("Vary", "Accept");
    if (!ACTIVITY_JSON.test(c.req.header("accept") ?? "")) return await next();
    const handle = c.req.param("actorPath").slice(1);
    const design = await deps.services.designs.find(handle);
    const release = design && (await deps.services.designs.releases(handle)).find((r) => r.version === c.req.param("version"));
    if (design === undefined || release === undefined) return c.json({ error: "not_found", message: "There is no such release on this node." }, 404);
    return c.body(JSON.stringify(releaseJsonLd(ctx, design, release)), 200, { "Content-Type": "application/activity+json" });
  });

  return routes;
}
