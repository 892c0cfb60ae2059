import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import type { ProjectDetails } from "../modules/projects/index.ts";
import { AddMaintainerSchema, CreateProjectSchema, EditProjectSchema } from "../modules/projects/project.schema.ts";
import { LOCATION_SCHEMA, PROJECT_REF_SCHEMA, PROJECT_SCHEMA, toMaintainerJson, toProjectJson, toProjectRef } from "./project-json.ts";
import { BEARER, ERROR_SCHEMA, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
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

const error = (description: string) => jsonResponse(description, ERROR_SCHEMA);
const HANDLE_PARAM = { name: "handle", in: "path", required: true, schema: { type: "string" }, description: "The project's handle" };
const TAGS = { type: "array", maxItems: 20, items: { type: "string" }, description: "Normalised like Mastodon hashtags: `Open-Source` → `opensource`; each needs a letter" };
const MEDIA_ID = { type: ["string", "null"], format: "uuid" };

export const projectsOpenApi: OpenApiPaths = {
  "/v1/projects": {
    get: {
      summary: "The projects on this node",
      tags: ["projects"],
      responses: { 200: jsonResponse("Projects, newest first, archived last", { type: "object", properties: { items: { type: "array", items: PROJECT_SCHEMA } } }) },
    },
    post: {
      summary: "Create a project",
      description: "The project is a `Group` actor others can follow from Mastodon. Its handle is unique across every actor on this node. You become its first maintainer.",
      tags: ["projects"],
      security: BEARER,
      requestBody: jsonBody({
        type: "object",
        required: ["handle", "name"],
        properties: {
          handle: { type: "string", maxLength: 30, pattern: "^[a-z0-9_]+([.-][a-z0-9_]+)*$" },
          name: { type: "string", minLength: 1, maxLength: 100 },
          summary: { type: "string", maxLength: 5000, description: "Markdown" },
          tags: TAGS,
          location: LOCATION_SCHEMA,
          website: { type: ["string", "null"], format: "uri", description: "http or https" },
          avatar: { ...MEDIA_ID, description: "Your upload made with purpose `avatar`" },
          banner: { ...MEDIA_ID, description: "Your upload made with purpose `banner`" },
          listed: { type: "boolean", default: true, description: "Listed in the directory (GET /api/v1/directory) and shared with peer nodes" },
        },
      }),
      responses: {
        201: jsonResponse("The project", PROJECT_REF_SCHEMA),
        401: error("Not signed in"),
        404: error("An avatar or banner is not an upload of yours"),
        409: error("The handle is taken"),
        422: error("A field is invalid (the message names it)"),
      },
    },
  },
  "/v1/projects/{handle}": {
    parameters: [HANDLE_PARAM],
    get: { summary: "A project", tags: ["projects"], responses: { 200: jsonResponse("The project", PROJECT_SCHEMA), 404: error("No such project") } },
    patch: {
      summary: "Edit or archive a project (maintainers only)",
      description:
        "Every field is optional; null clears location, website, avatar and banner. Visible changes reach followers as an `Update` of the Group. " +
        "`archived: true` archives the project: it shows as archived and takes no new updates (409).",
      tags: ["projects"],
      security: BEARER,
      requestBody: jsonBody({
        type: "object",
        properties: {
          name: { type: "string", minLength: 1, maxLength: 100 },
          summary: { type: "string", maxLength: 5000 },
          tags: TAGS,
          location: LOCATION_SCHEMA,
          website: { type: ["string", "null"], format: "uri" },
          avatar: MEDIA_ID,
          banner: MEDIA_ID,
          archived: { type: "boolean" },
          listed: { type: "boolean", description: "false removes the project from the directory (and from peers')" },
        },
      }),
      responses: {
        200: jsonResponse("The project", PROJECT_SCHEMA),
        401: error("Not signed in"),
        403: error("Not a maintainer"),
        404: error("No such project, or an image is not an upload of yours"),
        422: error("A field is invalid"),
      },
    },
  },
  "/v1/projects/{handle}/maintainers": {
    parameters: [HANDLE_PARAM],
    post: {
      summary: "Add a maintainer (maintainers only)",
      tags: ["projects"],
      security: BEARER,
      requestBody: jsonBody({ type: "object", required: ["handle"], properties: { handle: { type: "string", description: "A member of this node: `alice` or `alice@this-host`" } } }),
      responses: {
        201: jsonResponse("Added; the maintainers now", { type: "object", properties: { maintainers: { type: "array", items: { type: "object" } } } }),
        200: jsonResponse("Already a maintainer; the maintainers"),
        401: error("Not signed in"),
        403: error("Not a maintainer"),
        404: error("No such project"),
        422: error("No such member on this node"),
      },
    },
  },
};
