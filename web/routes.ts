import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../server/app-env.ts";
import { createHomeRoutes } from "./routes/home.ts";
import { createStaticRoutes } from "./routes/static.ts";

/**
 * Server-rendered pages, one route file per area (web/routes/<area>.ts). Routes load data through
 * module functions and pass props; pages never query.
 */
export function createWebRoutes(deps: AppDeps): Hono<AppEnv> {
  const web = new Hono<AppEnv>();
  web.route("/", createStaticRoutes());
  web.route("/", createHomeRoutes(deps));
  return web;
}
