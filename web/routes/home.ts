import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { countActorsByKind, findActorByHandle, findNodeActor } from "../../server/modules/actors/actor.repository.ts";
import { projectListItems } from "./projects.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import { ActorPage } from "../pages/actor-page.ts";
import { HomePage } from "../pages/home-page.ts";

/** The front page and the HTML face of the node actor. */
export function createHomeRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const node = await findNodeActor(deps.db);
    return c.html(
      HomePage({
        page: pageContext(c, deps),
        nodeName: node?.name ?? deps.config.nodeName,
        nodeDescription: node?.summary ?? deps.config.nodeDescription,
        nodeHandle: fediverseHandle(deps, node?.handle ?? "node"),
        memberCount: await countActorsByKind(deps.db, "person"),
        projects: await projectListItems(deps),
      }),
    );
  });

  // Same URL as the actor document: Fedify answers ActivityPub requests, this answers browsers.
  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}", async (c, next) => {
    const actor = await findActorByHandle(deps.db, c.req.param("actorPath").slice(1));
    if (actor === undefined || actor.kind !== "node") return next();
    c.header("Vary", "Accept");
    return c.html(
      ActorPage({
        page: pageContext(c, deps),
        name: actor.name,
        summary: actor.summary,
        handle: fediverseHandle(deps, actor.handle),
        actorIri: new URL(`/@${actor.handle}`, deps.config.publicUrl).href,
      }),
    );
  });

  return routes;
}
