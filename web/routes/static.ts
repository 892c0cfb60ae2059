import { readFileSync } from "node:fs";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../server/http/app-env.ts";

const STYLESHEET = readFileSync(new URL("../static/site.css", import.meta.url), "utf8");
const FAVICON = readFileSync(new URL("../static/favicon.svg", import.meta.url), "utf8");

/** The node serves its own assets (no CDN): a stylesheet now, scripts and map tiles' code later. */
export function createStaticRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/static/site.css", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(STYLESHEET, 200, { "Content-Type": "text/css; charset=utf-8" });
  });
  const icon = (c: Context<AppEnv>) => {
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(FAVICON, 200, { "Content-Type": "image/svg+xml" });
  };
  routes.get("/static/favicon.svg", icon);
  // Browsers ask for /favicon.ico whatever the page links.
  routes.get("/favicon.ico", icon);
  return routes;
}
