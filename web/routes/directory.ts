import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Context, Hono } from "hono";
import { toDirectoryEntryDocument } from "../../federation/translate/directory-entry.ts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { DIRECTORY_KINDS } from "../../server/modules/charter/charter.schema.ts";
import type { DirectoryHit } from "../../server/modules/directory/index.ts";
import { directorySearchInput, DirectorySearchSchema } from "../../server/modules/directory/directory-search.schema.ts";
import { tagBaseUrl } from "../../server/modules/projects/project.service.ts";
import { fieldErrors, formText } from "../form-values.ts";
import { pageContext } from "../page-context.ts";
import { type DirectoryFormValues, DirectoryPage, type DirectoryResultItem } from "../pages/directory-page.ts";

/** Leaflet's built files, served by the node itself (no CDN), read once from the installed package. */
const LEAFLET_DIST = join(dirname(createRequire(import.meta.url).resolve("leaflet/package.json")), "dist");
const ASSETS: Record<string, { readonly type: string; readonly path: string }> = {
  "/static/leaflet/leaflet.js": { type: "text/javascript; charset=utf-8", path: join(LEAFLET_DIST, "leaflet.js") },
  "/static/leaflet/leaflet.css": { type: "text/css; charset=utf-8", path: join(LEAFLET_DIST, "leaflet.css") },
  "/static/leaflet/images/layers.png": { type: "image/png", path: join(LEAFLET_DIST, "images/layers.png") },
  "/static/leaflet/images/layers-2x.png": { type: "image/png", path: join(LEAFLET_DIST, "images/layers-2x.png") },
  "/static/leaflet/images/marker-icon.png": { type: "image/png", path: join(LEAFLET_DIST, "images/marker-icon.png") },
  "/static/leaflet/images/marker-icon-2x.png": { type: "image/png", path: join(LEAFLET_DIST, "images/marker-icon-2x.png") },
  "/static/leaflet/images/marker-shadow.png": { type: "image/png", path: join(LEAFLET_DIST, "images/marker-shadow.png") },
  "/static/directory-map.js": { type: "text/javascript; charset=utf-8", path: new URL("../static/directory-map.js", import.meta.url).pathname },
  "/static/directory.css": { type: "text/css; charset=utf-8", path: new URL("../static/directory.css", import.meta.url).pathname },
};
const loaded = new Map<string, Uint8Array>();

const ACTIVITY_JSON = /application\/(?:activity\+json|ld\+json)/i;
const ENTRY_SLUG = /^[a-z0-9_]+(?:[.-][a-z0-9_]+)*$/;
/** Most tile servers draw OpenStreetMap data, whose licence asks for this credit. */
const TILE_ATTRIBUTION = "Map data © OpenStreetMap contributors";

/**
 * The CSP source of the map's tile host, for img-src (server/app/app.ts): `https://tile.example`, or
 * `https://*.tile.example` when the template picks subdomains with `{s}`.
 */
export function mapTileSource(tileUrl: string): string {
  const match = /^(https?:\/\/)([^/?#]+)/i.exec(tileUrl);
  if (match === null) return "'self'";
  return `${match[1]!.toLowerCase()}${match[2]!.toLowerCase().replace(/\{s\}/g, "*")}`;
}

/** The directory's page, its map's assets, and the entry documents at each local entry's IRI. */
export function createDirectoryRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { config } = deps;
  const { charter, directory } = deps.services;

  routes.get("/static/leaflet/*", serveAsset);
  routes.get("/static/directory-map.js", serveAsset);
  routes.get("/static/directory.css", serveAsset);

  routes.get("/directory", async (c) => {
    const queries = c.req.queries();
    const values = formValues(queries);
    const parsed = DirectorySearchSchema.safeParse(directorySearchInput(queries));
    const nodes = await directory.origins();
    const common = { page: pageContext(c, deps), values, kinds: DIRECTORY_KINDS, nodes, map: { tileUrl: config.mapTileUrl, attribution: TILE_ATTRIBUTION } };
    if (!parsed.success) {
      return c.html(DirectoryPage({ ...common, errors: fieldErrors(parsed.error), total: 0, items: [], previousUrl: null, nextUrl: null, firstIndex: 1 }), 422);
    }
    const search = parsed.data;
    const results = await directory.search(search);
    const pageUrl = (page: number) => `/directory?${new URLSearchParams({ ...directorySearchInput(queries), page: String(page) })}`;
    return c.html(
      DirectoryPage({
        ...common,
        errors: {},
        total: results.total,
        items: results.items.map(resultItem),
        previousUrl: search.page > 1 ? pageUrl(search.page - 1) : null,
        nextUrl: search.page * search.pageSize < results.total ? pageUrl(search.page + 1) : null,
        firstIndex: (search.page - 1) * search.pageSize + 1,
      }),
    );
  });

  // A local entry's IRI: the JSON-LD document peers fetch to verify it at its origin
  // (docs/security.md#origins, ORI-13), or, for a browser, the listed project's page.
  routes.get("/directory/entries/:slug", async (c) => {
    c.header("Vary", "Accept");
    const wantsJson = ACTIVITY_JSON.test(c.req.header("accept") ?? "");
    const slug = c.req.param("slug");
    const entry = ENTRY_SLUG.test(slug) ? await directory.localEntry(slug) : undefined;
    if (entry === undefined) {
      return wantsJson ? c.json({ error: "not_found", message: "There is no listed entry at this address." }, 404) : c.notFound();
    }
    if (!wantsJson) return c.redirect(entry.url, 302);
    const { document: rules } = await charter.current();
    const document = toDirectoryEntryDocument(entry, { tagBase: tagBaseUrl(config.publicUrl), maxHops: rules.directory.hopLimit });
    return c.body(JSON.stringify(document), 200, { "Content-Type": "application/activity+json" });
  });

  return routes;
}

function serveAsset(c: Context<AppEnv>) {
  const asset = ASSETS[c.req.path];
  if (asset === undefined) return c.notFound();
  let body = loaded.get(c.req.path);
  if (body === undefined) {
    body = new Uint8Array(readFileSync(asset.path));
    loaded.set(c.req.path, body);
  }
  c.header("Cache-Control", "public, max-age=86400");
  return c.body(body as Uint8Array<ArrayBuffer>, 200, { "Content-Type": asset.type });
}

function formValues(queries: Record<string, string[]>): DirectoryFormValues {
  const first = (name: string) => formText({ [name]: queries[name]?.[0] }, name);
  return {
    q: first("q") || first("name"),
    tags: [...(queries.tags ?? []), ...(queries.tag ?? [])].join(", "),
    kind: first("kind"),
    node: first("node") || first("origin"),
    lat: first("lat"),
    lon: first("lon"),
    radius_km: first("radius_km"),
    sort: first("sort"),
    licence: first("licence"),
    made_near: first("made_near"),
    made_radius_km: first("made_radius_km"),
  };
}

function resultItem(hit: DirectoryHit): DirectoryResultItem {
  const summary = hit.summary.replace(/\s+/g, " ");
  const place = [hit.location?.name, hit.locality, hit.region, hit.country].filter((p): p is string => typeof p === "string" && p !== "");
  return {
    name: hit.name,
    url: hit.url,
    kind: hit.kind,
    summary: summary.length > 300 ? `${summary.slice(0, 299)}…` : summary,
    tags: hit.tags,
    place: place.length > 0 ? [...new Set(place)].join(", ") : null,
    latitude: hit.location?.latitude ?? null,
    longitude: hit.location?.longitude ?? null,
    originHost: hit.originHost,
    origin: new URL("/", hit.origin).href,
    local: hit.localActorId !== null,
    distanceKm: hit.distanceKm,
    design: hit.kind === "design" ? { licence: hit.licence, latestVersion: hit.latestVersion, madeCount: hit.madeCount, madePlaces: hit.madePoints } : null,
  };
}
