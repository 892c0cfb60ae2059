import { readFileSync } from "node:fs";
import { Hono } from "hono";
import type { AppEnv } from "../../server/app-env.ts";

const STYLESHEET = readFileSync(new URL("../static/site.css", import.meta.url), "utf8");

/** The node serves its own assets (no CDN): a stylesheet now, scripts and map tiles' code later. */
export function createStaticRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/static/site.css", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(STYLESHEET, 200, { "Content-Type": "text/css; charset=utf-8" });
  });
  return routes;
}
