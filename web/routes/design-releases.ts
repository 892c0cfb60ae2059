import { type Context, Hono } from "hono";
import { accepts } from "hono/accepts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { UUID_PATTERN } from "../../server/platform/ids.ts";
import { releaseJsonLd } from "../../federation/designs.ts";
import { actorPagePath, releasesPath } from "../../federation/uris.ts";
import { pageContext } from "../page-context.ts";
import { ReleasePage } from "../pages/release-page.ts";

const HTML = "text/html";
const JSON_TYPES = ["application/activity+json", "application/ld+json", "application/json"] as const;

/** The JSON-LD answer's type: ld+json with the ActivityStreams profile when asked for (RFC 9110 §12.5.1). */
function contentTypeOf(type: string): string {
  return type === "application/ld+json" ? 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' : type;
}

function negotiated(c: Context<AppEnv>): string {
  c.header("Vary", "Accept");
  return accepts(c, { header: "Accept", supports: [HTML, ...JSON_TYPES], default: HTML });
}

/**
 * A design's releases: `/@{handle}/releases/{version}` serves the ForgeFed `Release` to ActivityPub
 * clients and the release page to browsers (404 for an unknown version either way); `/@{handle}/releases`
 * is the collection of the design's releases, newest version first. A release announcement's URL
 * (`/@{handle}/updates/{id}`, its Note for ActivityPub clients) takes browsers to the release.
 */
export function createDesignReleaseRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { designs } = deps.services;
  const ctx = () => deps.federation.createContext(new URL(deps.config.publicUrl), deps);

  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}/releases/:version", async (c, next) => {
    const design = await designs.find(c.req.param("actorPath").slice(1));
    if (design === undefined) return next();
    const release = await designs.release(design.handle, c.req.param("version"));
    const type = negotiated(c);
    if (type !== HTML) return c.body(JSON.stringify(releaseJsonLd(ctx(), design, release)), 200, { "Content-Type": contentTypeOf(type) });
    return c.html(
      ReleasePage({
        page: pageContext(c, deps),
        design: { name: design.name, url: actorPagePath(design.handle) },
        version: release.version,
        iri: release.iri,
        notesHtml: release.notesHtml,
        licence: release.licence,
        publishedAt: release.publishedAt,
        files: release.files.map((f) => ({ name: f.name, url: new URL(f.url).pathname, size: f.size })),
      }),
    );
  });

  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}/releases", async (c, next) => {
    const design = await designs.find(c.req.param("actorPath").slice(1));
    if (design === undefined) return next();
    const type = negotiated(c);
    if (type === HTML) return c.redirect(actorPagePath(design.handle), 303);
    const releases = await designs.releases(design.handle);
    const collection = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: new URL(releasesPath(design.handle), deps.config.publicUrl).href,
      type: "OrderedCollection",
      attributedTo: design.iri,
      totalItems: releases.length,
      orderedItems: releases.map((r) => r.iri),
    };
    return c.body(JSON.stringify(collection), 200, { "Content-Type": contentTypeOf(type) });
  });

  // Fedify answers ActivityPub clients first; a browser following the Note's id lands on the release.
  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}/updates/:id", async (c, next) => {
    const id = c.req.param("id");
    if (!UUID_PATTERN.test(id)) return next();
    const found = await designs.announcement(c.req.param("actorPath").slice(1), id);
    return found === undefined ? next() : c.redirect(new URL(found.release.url).pathname, 303);
  });

  return routes;
}
