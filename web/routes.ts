import { Hono } from "hono";
import type { Config } from "../server/config.ts";
import type { Db } from "../server/db/database.ts";
import { countActorsByKind, findActorByHandle, findNodeActor } from "../server/modules/actors/actor.repository.ts";
import { ActorPage } from "./pages/actor-page.ts";
import { HomePage } from "./pages/home-page.ts";

export interface WebDeps {
  readonly config: Config;
  readonly db: Db;
}

/** The fediverse address of a local handle, e.g. `@node@city.example`. */
export function fediverseHandle(config: Config, handle: string): string {
  return `@${handle}@${config.publicUrl.host}`;
}

/** Server-rendered pages. Routes load through module functions and pass props; pages never query. */
export function createWebRoutes(deps: WebDeps): Hono {
  const web = new Hono();

  web.get("/", async (c) => {
    const node = await findNodeActor(deps.db);
    const memberCount = await countActorsByKind(deps.db, "person");
    return c.html(
      HomePage({
        nodeName: node?.name ?? deps.config.nodeName,
        nodeDescription: node?.summary ?? deps.config.nodeDescription,
        nodeHandle: fediverseHandle(deps.config, node?.handle ?? "node"),
        memberCount,
      }),
    );
  });

  // Same URL as the actor document: Fedify answers ActivityPub requests, this answers browsers.
  web.get("/:actorPath{@[A-Za-z0-9_.-]+}", async (c, next) => {
    const actor = await findActorByHandle(deps.db, c.req.param("actorPath").slice(1));
    if (actor === undefined) return next();
    c.header("Vary", "Accept");
    return c.html(
      ActorPage({
        nodeName: deps.config.nodeName,
        name: actor.name,
        summary: actor.summary,
        handle: fediverseHandle(deps.config, actor.handle),
        actorIri: new URL(`/@${actor.handle}`, deps.config.publicUrl).href,
      }),
    );
  });

  return web;
}
