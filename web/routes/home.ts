import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import type { Actor } from "../../server/modules/actors/index.ts";
import { designListItems } from "./design-pages.ts";
import { projectListItems } from "./projects.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import { ActorPage } from "../pages/actor-page.ts";
import { HomePage } from "../pages/home-page.ts";

/** The front page. */
export function createHomeRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const { actor: node, memberCount } = await deps.services.node.about();
    return c.html(
      HomePage({
        page: pageContext(c, deps),
        nodeName: node?.name ?? deps.config.nodeName,
        nodeDescription: node?.summary ?? deps.config.nodeDescription,
        nodeHandle: fediverseHandle(deps, node?.handle ?? "node"),
        memberCount,
        projects: await projectListItems(deps),
        designs: await designListItems(deps),
      }),
    );
  });

  return routes;
}

/** The node actor's page (the `Application` Mastodon shows as the node's account). */
export async function nodeActorPage(deps: AppDeps, c: Context<AppEnv>, actor: Actor): Promise<Response> {
  return await c.html(
    ActorPage({
      page: pageContext(c, deps),
      name: actor.name,
      summary: actor.summary,
      handle: fediverseHandle(deps, actor.handle),
      actorIri: new URL(`/@${actor.handle}`, deps.config.publicUrl).href,
    }),
  );
}
