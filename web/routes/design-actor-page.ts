import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import { DesignPage } from "../pages/design-page.ts";

/** `/@handle` of a design, for browsers (web/routes/actor-pages.ts switches to it on kind "service"). */
export async function designActorPage(deps: AppDeps, c: Context<AppEnv>, handle: string): Promise<Response> {
  const { designs } = deps.services;
  const design = await designs.require(handle);
  const releases = await designs.releases(design.handle);
  return await c.html(
    DesignPage({
      page: pageContext(c, deps),
      name: design.name,
      fediverseHandle: fediverseHandle(deps, design.handle),
      actorIri: design.iri,
      summaryHtml: design.summaryHtml,
      licence: design.licence,
      releases: releases.map((r) => ({ version: r.version, url: new URL(r.url).pathname, publishedAt: r.publishedAt })),
    }),
  );
}
