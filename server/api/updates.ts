import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { notFound } from "../platform/errors.ts";
import { UUID_PATTERN } from "../platform/ids.ts";
import { EditUpdateSchema, PostUpdateSchema } from "../modules/notes/update.schema.ts";
import { BEARER, ERROR_SCHEMA, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
import { UPDATE_REF_SCHEMA, UPDATE_SCHEMA, toUpdateJson, updateIri } from "./project-json.ts";
import { readJson } from "../http/read-json.ts";

/** A project's updates: Notes its maintainers post to the project's followers. */
export function createUpdatesApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { projects, updates } = deps.services;
  const updateId = (id: string) => {
    if (!UUID_PATTERN.test(id)) throw notFound(`There is no update ${id}.`);
    return id;
  };

  api.get("/projects/:handle/updates", async (c) => {
    const project = await projects.require(c.req.param("handle"));
    const listed = await updates.list(project, { limit: 50, pinnedFirst: true });
    return c.json({ items: listed.map(({ update, counts }) => toUpdateJson(deps.config, update, { counts })) });
  });

  api.post("/projects/:handle/updates", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, PostUpdateSchema);
    const update = await updates.post(viewer.actorId, c.req.param("handle"), input);
    const iri = updateIri(deps.config, update.projectHandle, update.id);
    return c.json({ id: update.id, iri, url: iri }, 201);
  });

  api.get("/projects/:handle/updates/:id", async (c) => {
    const project = await projects.require(c.req.param("handle"));
    const update = await updates.requireLive(project, updateId(c.req.param("id")));
    const [replies, counts] = await Promise.all([updates.replies(update), updates.counts(update)]);
    return c.json(toUpdateJson(deps.config, update, { replies, counts }));
  });

  api.patch("/projects/:handle/updates/:id", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, EditUpdateSchema);
    const id = updateId(c.req.param("id"));
    const update = await updates.edit(viewer.actorId, c.req.param("handle"), id, input);
    return c.json(toUpdateJson(deps.config, update));
  });

  api.delete("/projects/:handle/updates/:id", async (c) => {
    const viewer = requireViewer(c);
    await updates.delete(viewer.actorId, c.req.param("handle"), updateId(c.req.param("id")));
    return c.body(null, 204);
  });

  return api;
}

const error = (description: string) => jsonResponse(description, ERROR_SCHEMA);
const PARAMS = [
  { name: "handle", in: "path", required: true, schema: { type: "string" }, description: "The project's handle" },
  { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
];
const IMAGES = {
  type: "array",
  maxItems: 4,
  description: "Your uploads (POST /api/v1/media, purpose `attachment`), as ids or {id, description}; `description` sets the alt text",
  items: {
    oneOf: [
      { type: "string", format: "uuid" },
      { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" }, description: { type: "string", maxLength: 1500 } } },
    ],
  },
};

export const updatesOpenApi: OpenApiPaths = {
  "/v1/projects/{handle}/updates": {
    parameters: [PARAMS[0]],
    get: {
      summary: "A project's updates, pinned first, then newest first",
      tags: ["updates"],
      responses: { 200: jsonResponse("Updates with counts", { type: "object", properties: { items: { type: "array", items: UPDATE_SCHEMA } } }), 404: error("No such project") },
    },
    post: {
      summary: "Post an update (maintainers only)",
      description: "Markdown, 1–5000 characters; `#hashtags` are linked. Followers receive a `Create` of a public `Note` from the project's Group.",
      tags: ["updates"],
      security: BEARER,
      requestBody: jsonBody({ type: "object", required: ["content"], properties: { content: { type: "string", minLength: 1, maxLength: 5000 }, images: IMAGES } }),
      responses: {
        201: jsonResponse("The update", UPDATE_REF_SCHEMA),
        401: error("Not signed in"),
        403: error("Not a maintainer"),
        404: error("No such project"),
        409: error("The project is archived"),
        422: error("A field is invalid, or an image is not an attachment upload of yours"),
      },
    },
  },
  "/v1/projects/{handle}/updates/{id}": {
    parameters: PARAMS,
    get: {
      summary: "An update with its replies and counts of replies, likes and boosts",
      tags: ["updates"],
      responses: { 200: jsonResponse("The update", UPDATE_SCHEMA), 404: error("No such update"), 410: error("The update was deleted") },
    },
    patch: {
      summary: "Edit, pin or unpin an update (maintainers only)",
      description:
        "New `content` or `images` make an edit: followers receive an `Update` with a newer `updated`. `pinned: true` pins it " +
        "(the project's featured post; a previously pinned one is unpinned), `pinned: false` unpins it; followers receive `Add` / `Remove`.",
      tags: ["updates"],
      security: BEARER,
      requestBody: jsonBody({ type: "object", properties: { content: { type: "string", minLength: 1, maxLength: 5000 }, images: IMAGES, pinned: { type: "boolean" } } }),
      responses: {
        200: jsonResponse("The update", UPDATE_SCHEMA),
        401: error("Not signed in"),
        403: error("Not a maintainer"),
        404: error("No such update"),
        410: error("The update was deleted"),
        422: error("A field is invalid"),
      },
    },
    delete: {
      summary: "Delete an update (maintainers only)",
      description: "Followers receive a `Delete` with a `Tombstone`; the update's URL answers 410 from then on.",
      tags: ["updates"],
      security: BEARER,
      responses: { 204: { description: "Deleted" }, 401: error("Not signed in"), 403: error("Not a maintainer"), 404: error("No such update"), 410: error("Already deleted") },
    },
  },
};
