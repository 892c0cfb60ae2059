import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { readJson } from "../http/read-json.ts";
import { requireViewer } from "../http/viewer.ts";
import { type MadeReportRecord, MadeReportSchema } from "../modules/made-reports/index.ts";
import { type ApiOperation, error } from "./openapi-registry.ts";

/** "Made here" reports of designs' releases (/api/v1/designs/{handle}/…/made). */
export function createMadeReportsApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { madeReports } = deps.services;

  api.post("/designs/:handle/releases/:version/made", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, MadeReportSchema);
    const reporter = { actorId: viewer.actorId, handle: viewer.handle, name: viewer.displayName };
    const report = await madeReports.report(reporter, c.req.param("handle"), c.req.param("version"), input);
    return c.json(toMadeReportJson(deps.config.publicUrl, report), 201);
  });

  api.get("/designs/:handle/made", async (c) => {
    const { design, reports } = await madeReports.forDesign(c.req.param("handle"));
    const [count, map] = await Promise.all([madeReports.countForDesign(design.actorId), madeReports.mapPoints(design.actorId)]);
    return c.json({ items: reports.map((r) => toMadeReportJson(deps.config.publicUrl, r)), madeCount: count.made, cities: count.cities, map });
  });

  return api;
}

const ForkLinkJson = z.object({
  release: z.string().meta({ description: "The release forked (IRI)" }),
  design: z.string().meta({ description: "Its design actor (IRI)" }),
  name: z.string(),
  host: z.string().meta({ description: "The node it is on" }),
  licence: z.string().meta({ description: "SPDX id" }),
});

export const MadeReportJson = z
  .object({
    id: z.string(),
    iri: z.string().meta({ description: "The report's ActivityPub id (a ValueFlows `produce` EconomicEvent)" }),
    release: z.string().meta({ description: "The release built (IRI; on this node or along the fork chain)" }),
    local: z.boolean().meta({ description: "Reported by a member of this node" }),
    reporter: z.object({ iri: z.string(), name: z.string() }),
    place: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    madeAt: z.string().meta({ description: "When the build was finished (ISO 8601)" }),
    facility: z.string().nullable(),
    directoryEntry: z.string().nullable(),
    notesHtml: z.string(),
    deviations: z.string(),
    photos: z.array(z.object({ url: z.string(), mediaType: z.string(), alt: z.string(), width: z.number().nullable(), height: z.number().nullable() })),
    chain: z.array(ForkLinkJson).meta({ description: "The fork chain of the design built, origin first, ending with that design" }),
    receivedAt: z.string(),
  })
  .meta({ id: "MadeReport" });

export function toMadeReportJson(publicUrl: URL, report: MadeReportRecord): z.output<typeof MadeReportJson> {
  return {
    id: report.id,
    iri: report.iri,
    release: report.releaseIri,
    local: report.originHost === publicUrl.host,
    reporter: { iri: report.reporterIri, name: report.reporterName },
    place: report.place,
    latitude: report.latitude,
    longitude: report.longitude,
    madeAt: report.madeAt.toISOString(),
    facility: report.facility,
    directoryEntry: report.directoryEntryIri,
    notesHtml: report.notesHtml,
    deviations: report.deviations,
    photos: report.photos.map((p) => ({ url: p.url, mediaType: p.mediaType, alt: p.alt, width: p.width, height: p.height })),
    chain: report.chain.map((l) => ({ release: l.release, design: l.design, name: l.name, host: l.host, licence: l.licence })),
    receivedAt: report.receivedAt.toISOString(),
  };
}

const MadeListJson = z.object({
  items: z.array(MadeReportJson),
  madeCount: z.number().int().meta({ description: "Builds reported, of this design's releases and of its forks' that reached this node" }),
  cities: z.number().int().meta({ description: "Distinct places among them (case and spaces ignored)" }),
  map: z.array(z.object({ latitude: z.number(), longitude: z.number(), place: z.string(), count: z.number().int() })),
});

const TAG = ["designs"];
const ReleaseParams = z.object({
  handle: z.string().meta({ description: "The design's handle" }),
  version: z.string().meta({ description: "The release's version" }),
});

export const madeReportsOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/v1/designs/{handle}/releases/{version}/made",
    operationId: "reportBuild",
    tags: TAG,
    summary: "Report that you built a release (made here)",
    description:
      "Any active member may report a build. `madeAt` is an ISO 8601 date or date-time, not in the future and not before 1900. " +
      "`media` are your own uploads (POST /api/v1/media), each with alt text (`description`, or the one given at upload). " +
      "The report goes to the design's followers as a Note and, as a ValueFlows `produce` EconomicEvent, to every design along the fork chain on other nodes.",
    auth: true,
    pathParams: ReleaseParams,
    body: { schema: MadeReportSchema },
    responses: {
      201: { description: "The report", schema: MadeReportJson },
      401: error("Not signed in"),
      404: error("There is no such design or release (the message names it)"),
      422: error("A field is invalid (the message names it: coordinates, date, a photo without alt text or not yours)"),
    },
  },
  {
    method: "get",
    path: "/v1/designs/{handle}/made",
    operationId: "listBuilds",
    tags: TAG,
    summary: "Where a design was made",
    description: "The builds of this design's releases and, for a design others forked, the builds along the fork chains that reached this node; with counts and map points.",
    pathParams: z.object({ handle: z.string().meta({ description: "The design's handle" }) }),
    responses: { 200: { description: "Builds, latest first", schema: MadeListJson }, 404: error("There is no such design") },
  },
];
