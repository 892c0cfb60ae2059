import { type Context, Hono } from "hono";
import { accepts } from "hono/accepts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { UUID_PATTERN } from "../../server/platform/ids.ts";
import { releaseJsonLd } from "../../federation/designs.ts";
import type { DesignView } from "../../server/modules/designs/index.ts";
import { actorPagePath, releasesPath } from "../../federation/uris.ts";
import { DOCUMENTATION_READINESS_LEVELS, TECHNOLOGY_READINESS_LEVELS } from "../components/designs/readiness-levels.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { EMPTY_RELEASE_FORM, ReleaseFormPage, type ReleaseFormValues } from "../pages/release-form-page.ts";
import { formError } from "../project-form-values.ts";
import { loginRedirect } from "../sign-in-redirect.ts";
import { readReleaseForm } from "../release-form-stream.ts";
import { releasePage } from "./design-pages.ts";

const DESIGN = "/:actorPath{@[A-Za-z0-9_.-]+}";
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
 * (`/@{handle}/updates/{id}`, its Note for ActivityPub clients) takes browsers to the release. And the
 * form that publishes a release (the script uploads to the API; without it, to the page route here).
 */
export function createDesignReleaseRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { designs } = deps.services;
  const handleOf = (c: Context<AppEnv>) => c.req.param("actorPath")!.slice(1);

  const renderForm = (c: Context<AppEnv>, status: 200 | 404 | 409 | 413 | 415 | 422, design: DesignView, values: ReleaseFormValues, errors: FieldErrors) =>
    c.html(
      ReleaseFormPage({
        page: pageContext(c, deps),
        design: { handle: design.handle, name: design.name, url: actorPagePath(design.handle), licence: design.licence },
        values,
        errors,
        trlLevels: TECHNOLOGY_READINESS_LEVELS,
        drlLevels: DOCUMENTATION_READINESS_LEVELS,
        uploadUrl: `/api/v1/designs/${design.handle}/releases`,
        limits: { fileMaxBytes: deps.config.designFileMaxBytes, releaseMaxBytes: deps.config.designReleaseMaxBytes },
      }),
      status,
    );

  /** The design, when the viewer maintains it (404 for no such design, 403 for a non-maintainer). */
  const maintained = async (c: Context<AppEnv>) => {
    const viewer = c.get("viewer");
    if (!viewer) return undefined;
    return { viewer, design: await designs.requireMaintainer(handleOf(c), viewer.actorId) };
  };

  routes.get(`${DESIGN}/releases/new`, async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    return renderForm(c, 200, found.design, EMPTY_RELEASE_FORM, {});
  });

  routes.post(`${DESIGN}/releases/new`, async (c) => {
    const found = await maintained(c);
    if (!found) return loginRedirect(c);
    const form = await readReleaseForm(deps, c, found.design);
    if (!form.ok) return renderForm(c, form.status, found.design, form.values, form.errors);
    try {
      const release = await designs.publishRelease(found.viewer.actorId, found.design.handle, form.input, form.files);
      return c.redirect(new URL(release.url).pathname, 303);
    } catch (error) {
      await deps.services.designFiles.discardUnreferenced(form.added);
      const { status, errors } = formError(error, "form");
      return renderForm(c, status, found.design, form.values, errors);
    }
  });

  const ctx = () => deps.federation.createContext(new URL(deps.config.publicUrl), deps);

  routes.get(`${DESIGN}/releases/:version`, async (c, next) => {
    const design = await designs.find(handleOf(c));
    if (design === undefined) return next();
    const type = negotiated(c);
    if (type === HTML) return await releasePage(deps, c, design.handle, c.req.param("version"));
    const release = await designs.release(design.handle, c.req.param("version"));
    return c.body(JSON.stringify(releaseJsonLd(ctx(), design, release)), 200, { "Content-Type": contentTypeOf(type) });
  });

  routes.get(`${DESIGN}/releases`, async (c, next) => {
    const design = await designs.find(handleOf(c));
    if (design === undefined) return next();
    const type = negotiated(c);
    if (type === HTML) return c.redirect(`${actorPagePath(design.handle)}#releases-heading`, 303);
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
  routes.get(`${DESIGN}/updates/:id`, async (c, next) => {
    const id = c.req.param("id");
    if (!UUID_PATTERN.test(id)) return next();
    const found = await designs.announcement(handleOf(c), id);
    return found === undefined ? next() : c.redirect(new URL(found.release.url).pathname, 303);
  });

  return routes;
}
