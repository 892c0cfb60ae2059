import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import type { ProjectDetails } from "../modules/projects/index.ts";
import { AddMaintainerSchema, CreateProjectSchema, EditProjectSchema } from "../modules/projects/project.schema.ts";
import { MaintainerJson, ProjectJson, ProjectRefJson, toMaintainerJson, toProjectJson, toProjectRef } from "./project-json.ts";
import { type ApiOperation, error, itemsOf } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** Projects: `Group` actors members create and maintain (/api/v1/projects). */
export function createProjectsApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { projects } = deps.services;
  const projectJson = ({ project, ...details }: ProjectDetails) => toProjectJson(deps.config, project, details);

  api.get("/projects", async (c) => c.json({ items: (await projects.list(200)).map(projectJson) }));

  api.post("/projects", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, CreateProjectSchema);
    const project = await projects.create(viewer.actorId, input);
    return c.json(toProjectRef(deps.config, project), 201);
  });

  api.get("/projects/:handle", async (c) => c.json(projectJson(await projects.details(c.req.param("handle")))));

  api.patch("/projects/:handle", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, EditProjectSchema);
    const project = await projects.edit(viewer.actorId, c.req.param("handle"), input);
    return c.json(projectJson(await projects.details(project.handle)));
  });

  api.post("/projects/:handle/maintainers", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, AddMaintainerSchema);
    const { added, maintainers } = await projects.addMaintainer(viewer.actorId, c.req.param("handle"), input);
    return c.json({ maintainers: maintainers.map((m) => toMaintainerJson(deps.config, m)) }, added ? 201 : 200);
  });

  return api;
}

const MaintainersJson = z.object({ maintainers: z.array(MaintainerJson) });

const HandleParams = z.object({ handle: z.string().meta({ description: "The project's handle" }) });
const TAG = ["projects"];

export const projectsOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/projects",
    operationId: "listProjects",
    tags: TAG,
    summary: "The projects on this node",
    responses: { 200: { description: "Projects, newest first, archived last", schema: itemsOf(ProjectJson) } },
  },
  {
    method: "post",
    path: "/v1/projects",
    operationId: "createProject",
    tags: TAG,
    summary: "Create a project",
    description:
      "The project is a `Group` actor others can follow from Mastodon. Its handle is unique across every actor on this node. You become its first maintainer. " +
      "`tags` are normalised like Mastodon hashtags (`Open-Source` → `opensource`); `avatar` and `banner` are your uploads made with purpose `avatar` / `banner`; " +
      "`listed` (default true) lists the project in the directory (GET /api/v1/directory) and shares it with peer nodes.",
    auth: true,
    body: { schema: CreateProjectSchema },
    responses: {
      201: { description: "The project", schema: ProjectRefJson },
      401: error("Not signed in"),
      404: error("An avatar or banner is not an upload of yours"),
      409: error("The handle is taken"),
      422: error("A field is invalid (the message names it)"),
    },
  },
  {
    method: "get",
    path: "/v1/projects/{handle}",
    operationId: "getProject",
    tags: TAG,
    summary: "A project",
    pathParams: HandleParams,
    responses: { 200: { description: "The project", schema: ProjectJson }, 404: error("No such project") },
  },
  {
    method: "patch",
    path: "/v1/projects/{handle}",
    operationId: "editProject",
    tags: TAG,
    summary: "Edit or archive a project (maintainers only)",
    description:
      "Every field is optional; null clears location, website, avatar and banner. Visible changes reach followers as an `Update` of the Group. " +
      "`archived: true` archives the project: it shows as archived and takes no new updates (409). `listed: false` removes it from the directory (and from peers').",
    auth: true,
    pathParams: HandleParams,
    body: { schema: EditProjectSchema },
    responses: {
      200: { description: "The project", schema: ProjectJson },
      401: error("Not signed in"),
      403: error("Not a maintainer"),
      404: error("No such project, or an image is not an upload of yours"),
      422: error("A field is invalid"),
    },
  },
  {
    method: "post",
    path: "/v1/projects/{handle}/maintainers",
    operationId: "addProjectMaintainer",
    tags: TAG,
    summary: "Add a maintainer (maintainers only)",
    description: "`handle` is a member of this node: `alice` or `alice@this-host`.",
    auth: true,
    pathParams: HandleParams,
    body: { schema: AddMaintainerSchema },
    responses: {
      201: { description: "Added; the maintainers now", schema: MaintainersJson },
      200: { description: "Already a maintainer; the maintainers", schema: MaintainersJson },
      401: error("Not signed in"),
      403: error("Not a maintainer"),
      404: error("No such project"),
      422: error("No such member on this node"),
    },
  },
];
