import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { designPage } from "./design-pages.ts";
import { nodeActorPage } from "./home.ts";
import { memberPage } from "./members.ts";
import { projectPage } from "./projects.ts";

/**
 * `/@handle` for browsers: one route that loads the actor once and shows the page of its kind. The
 * URL is also the actor's id; Fedify answers ActivityPub requests for it before this is reached
 * (server/http/federation-edge/fedify-middleware.ts). Handles are unique across kinds.
 */
export function createActorPageRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}", async (c) => {
    const handle = c.req.param("actorPath").slice(1);
    const actor = await deps.services.actors.byHandle(handle);
    c.header("Vary", "Accept");
    switch (actor?.kind) {
      case "node":
        return await nodeActorPage(deps, c, actor);
      case "group":
        return await projectPage(deps, c, actor.handle);
      case "service":
        return await designPage(deps, c, actor.handle);
      case "person":
        return (await memberPage(deps, c, actor.handle)) ?? c.notFound();
      default:
        return c.notFound();
    }
  });
  return routes;
}
