import { type Context, Hono } from "hono";
import { accepts } from "hono/accepts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { UUID_PATTERN } from "../../server/platform/ids.ts";
import type { MadeReportRecord } from "../../server/modules/made-reports/index.ts";
import { madeNoteJsonLd } from "../../federation/made-reports.ts";
import { MADE_REPORT_CONTEXTS, toMadeCollection, toMadeEvent } from "../../federation/translate/made-report.ts";
import { designMadePath, madeReportPath } from "../../federation/uris.ts";

const HTML = "text/html";
const AP_TYPES = ["application/activity+json", "application/ld+json"] as const;

/** Whether the client asked for ActivityPub JSON rather than a page. */
function wantsActivityJson(c: Context<AppEnv>): boolean {
  c.header("Vary", "Accept");
  return accepts(c, { header: "Accept", supports: [HTML, ...AP_TYPES], default: HTML }) !== HTML;
}

function activityJson(c: Context<AppEnv>, body: Record<string, unknown>): Response {
  return c.body(JSON.stringify(body), 200, { "Content-Type": "application/activity+json" });
}

/**
 * The ActivityPub faces of "made here" (docs/made-here.md), served here rather than by Fedify
 * because their events are ValueFlows `EconomicEvent`s, which @fedify/vocab has no class for and
 * would re-serialise without their terms: a design's made-here collection (`/@{handle}/made`), a
 * report of one of our members (`/made/{id}`) and the design's Note about a build
 * (`/@{handle}/made/{id}`). Browsers fall through to the pages on the same URLs.
 */
export function createMadeHereRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { config } = deps;
  const { designs, madeReports } = deps.services;
  const eventOf = (report: MadeReportRecord) =>
    toMadeEvent(report, { id: new URL(report.iri), reporter: new URL(report.reporterIri), designs: report.chain.map((l) => new URL(l.design)) });

  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}/made", async (c, next) => {
    if (!wantsActivityJson(c)) return next();
    const { design, reports } = await madeReports.forDesign(c.req.param("actorPath").slice(1));
    const id = new URL(designMadePath(design.handle), config.publicUrl);
    return activityJson(c, toMadeCollection(id, new URL(design.iri), reports.map(eventOf)));
  });

  routes.get("/:actorPath{@[A-Za-z0-9_.-]+}/made/:id", async (c, next) => {
    const id = c.req.param("id");
    if (!wantsActivityJson(c) || !UUID_PATTERN.test(id)) return next();
    const design = await designs.require(c.req.param("actorPath").slice(1));
    const report = await madeReports.byId(id);
    if (report === undefined || report.designActorId !== design.actorId) return next();
    const ctx = deps.federation.createContext(new URL(config.publicUrl), deps);
    return activityJson(c, await madeNoteJsonLd(ctx, design.handle, design.name, report));
  });

  routes.get("/made/:id", async (c, next) => {
    const id = c.req.param("id");
    if (!UUID_PATTERN.test(id)) return next();
    const report = await madeReports.byId(id);
    if (report === undefined || report.iri !== new URL(madeReportPath(id), config.publicUrl).href) return next();
    if (!wantsActivityJson(c)) return c.redirect(report.releaseIri, 303);
    return activityJson(c, { "@context": [...MADE_REPORT_CONTEXTS], ...eventOf(report) });
  });

  return routes;
}
