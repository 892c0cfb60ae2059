import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { readJson } from "../http/read-json.ts";
import { requireViewer } from "../http/viewer.ts";
import { AddDesignMaintainerSchema, CreateDesignSchema, type DesignView, EditDesignSchema } from "../modules/designs/index.ts";
import { DesignJson, DesignMaintainersJson, DesignRefJson, DesignSummaryJson, ReleaseJson, toDesignJson, toDesignMaintainersJson, toDesignRef, toDesignSummaryJson, toReleaseJson } from "./design-json.ts";
import { type ApiOperation, error, itemsOf } from "./openapi-registry.ts";

/**
 * Designs: `Service` actors with immutable releases (/api/v1/designs). Publishing a release with its
 * files is a multipart POST handled with the files (server/api/design-releases.ts).
 */
export function createDesignsApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { designs } = deps.services;

  const designJson = async (design: DesignView) => {
    const [releases, maintainers, counts, followersCount] = await Promise.all([
      designs.releases(design.handle),
      designs.maintainers(design),
      designs.designCounts(design),
      deps.services.followers.count(design),
    ]);
    return toDesignJson(deps.config, design, { releases, maintainers, followersCount, ...counts });
  };

  api.get("/designs", async (c) => c.json({ items: (await designs.list(200)).map((d) => toDesignSummaryJson(deps.config, d)) }));

  api.post("/designs", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, CreateDesignSchema);
    return c.json(toDesignRef(await designs.create(viewer.actorId, input)), 201);
  });

  api.get("/designs/:handle", async (c) => c.json(await designJson(await designs.require(c.req.param("handle")))));

  api.patch("/designs/:handle", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, EditDesignSchema);
    return c.json(await designJson(await designs.edit(viewer.actorId, c.req.param("handle"), input)));
  });

  api.post("/designs/:handle/maintainers", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, AddDesignMaintainerSchema);
    const { added, maintainers } = await designs.addMaintainer(viewer.actorId, c.req.param("handle"), input);
    return c.json(toDesignMaintainersJson(deps.config, maintainers), added ? 201 : 200);
  });

  api.get("/designs/:handle/releases/:version", async (c) => {
    const release = await designs.release(c.req.param("handle"), c.req.param("version"));
    const [made, counts] = await Promise.all([designs.releaseMadeCounts(release), deps.services.updates.countsOf([release.id])]);
    return c.json(toReleaseJson(deps.config, release, made, counts.get(release.id)!));
  });

  return api;
}

const HandleParams = z.object({ handle: z.string().meta({ description: "The design's handle" }) });
const ReleaseParams = z.object({ handle: z.string().meta({ description: "The design's handle" }), version: z.string().meta({ description: "The release's version" }) });
const TAG = ["designs"];

export const designsOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/designs",
    operationId: "listDesigns",
    tags: TAG,
    summary: "The designs on this node",
    responses: { 200: { description: "Designs, newest first", schema: itemsOf(DesignSummaryJson) } },
  },
  {
    method: "post",
    path: "/v1/designs",
    operationId: "createDesign",
    tags: TAG,
    summary: "Create a design",
    description:
      "The design is a `Service` actor others can follow from Mastodon; its handle is unique across every actor on this node. You become its first maintainer. " +
      "`licence` and `documentationLicence` are SPDX ids (https://spdx.org/licenses/); `project` is the handle of a project on this node.",
    auth: true,
    body: { schema: CreateDesignSchema },
    responses: {
      201: { description: "The design", schema: DesignRefJson },
      401: error("Not signed in"),
      409: error("The handle is taken"),
      422: error("A field is invalid, the licence is unknown or the project does not exist (the message names it)"),
    },
  },
  {
    method: "get",
    path: "/v1/designs/{handle}",
    operationId: "getDesign",
    tags: TAG,
    summary: "A design with its releases",
    pathParams: HandleParams,
    responses: { 200: { description: "The design", schema: DesignJson }, 404: error("No such design") },
  },
  {
    method: "patch",
    path: "/v1/designs/{handle}",
    operationId: "editDesign",
    tags: TAG,
    summary: "Edit a design (maintainers only)",
    description: "Every field is optional; null clears the documentation licence and the project. Visible changes reach followers as an `Update` of the Service. Releases keep the licences they were published with.",
    auth: true,
    pathParams: HandleParams,
    body: { schema: EditDesignSchema },
    responses: {
      200: { description: "The design", schema: DesignJson },
      401: error("Not signed in"),
      403: error("Not a maintainer"),
      404: error("No such design"),
      422: error("A field is invalid"),
    },
  },
  {
    method: "post",
    path: "/v1/designs/{handle}/maintainers",
    operationId: "addDesignMaintainer",
    tags: TAG,
    summary: "Add a maintainer (maintainers only)",
    description: "`handle` is an active member of this node: `alice` or `alice@this-host`. Adding someone who already maintains the design changes nothing (200).",
    auth: true,
    pathParams: HandleParams,
    body: { schema: AddDesignMaintainerSchema },
    responses: {
      201: { description: "Added; the maintainers now", schema: DesignMaintainersJson },
      200: { description: "Already a maintainer; the maintainers", schema: DesignMaintainersJson },
      401: error("Not signed in"),
      403: error("Not a maintainer"),
      404: error("No such design"),
      422: error("Not an active member of this node"),
    },
  },
  {
    method: "get",
    path: "/v1/designs/{handle}/releases/{version}",
    operationId: "getDesignRelease",
    tags: TAG,
    summary: "A release of a design",
    pathParams: ReleaseParams,
    responses: { 200: { description: "The release with its files", schema: ReleaseJson }, 404: error("No such design or version") },
  },
];
