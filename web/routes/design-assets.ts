import { readFileSync } from "node:fs";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../server/http/app-env.ts";

/** The design pages' stylesheet and scripts (Leaflet itself is served with the directory's assets). */
const ASSETS: Readonly<Record<string, { readonly type: string; readonly file: string }>> = {
  "/static/designs.css": { type: "text/css; charset=utf-8", file: "designs.css" },
  "/static/release-form.js": { type: "text/javascript; charset=utf-8", file: "release-form.js" },
  "/static/made-form.js": { type: "text/javascript; charset=utf-8", file: "made-form.js" },
  "/static/made-map.js": { type: "text/javascript; charset=utf-8", file: "made-map.js" },
};
const loaded = new Map<string, Uint8Array>();

export function createDesignAssetRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  for (const path of Object.keys(ASSETS)) routes.get(path, serveAsset);
  return routes;
}

function serveAsset(c: Context<AppEnv>) {
  const asset = ASSETS[c.req.path];
  if (asset === undefined) return c.notFound();
  let body = loaded.get(c.req.path);
  if (body === undefined) {
    body = new Uint8Array(readFileSync(new URL(`../static/${asset.file}`, import.meta.url)));
    loaded.set(c.req.path, body);
  }
  c.header("Cache-Control", "public, max-age=3600");
  return c.body(body as Uint8Array<ArrayBuffer>, 200, { "Content-Type": asset.type });
}
