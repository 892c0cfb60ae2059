import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { notFound } from "../platform/errors.ts";
import { UUID_PATTERN } from "../platform/ids.ts";
import { EditUpdateSchema, PostUpdateSchema } from "../modules/notes/update.schema.ts";
import { type ApiOperation, error, itemsOf } from "./openapi-registry.ts";
import { toUpdateJson, UpdateJson, UpdateRefJson, updateIri } from "./project-json.ts";
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

const HandleParams = z.object({ handle: z.string().meta({ description: "The project's handle" }) });
const UpdateParams = HandleParams.extend({ id: z.uuid() });
const TAG = ["updates"];
const IMAGES_NOTE =
  "`images` are your uploads (POST /api/v1/media, purpose `attachment`), as ids or {id, description}; `description` sets the alt text.";

export const updatesOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/projects/{handle}/updates",
    operationId: "listProjectUpdates",
    tags: TAG,
    summary: "A project's updates, pinned first, then newest first",
    pathParams: HandleParams,
    responses: { 200: { description: "Updates with counts", schema: itemsOf(UpdateJson) }, 404: error("No such project") },
  },
  {
    method: "post",
    path: "/v1/projects/{handle}/updates",
    operationId: "postProjectUpdate",
    tags: TAG,
    summary: "Post an update (maintainers only)",
    description: `Markdown; \`#hashtags\` are linked. ${IMAGES_NOTE} Followers receive a \`Create\` of a public \`Note\` from the project's Group.`,
    auth: true,
    pathParams: HandleParams,
    body: { schema: PostUpdateSchema },
    responses: {
      201: { description: "The update", schema: UpdateRefJson },
      401: error("Not signed in"),
      403: error("Not a maintainer"),
      404: error("No such project"),
      409: error("The project is archived"),
      422: error("A field is invalid, or an image is not an attachment upload of yours"),
    },
  },
  {
    method: "get",
    path: "/v1/projects/{handle}/updates/{id}",
    operationId: "getProjectUpdate",
    tags: TAG,
    summary: "An update with its replies and counts of replies, likes and boosts",
    pathParams: UpdateParams,
    responses: { 200: { description: "The update", schema: UpdateJson }, 404: error("No such update"), 410: error("The update was deleted") },
  },
  {
    method: "patch",
    path: "/v1/projects/{handle}/updates/{id}",
    operationId: "editProjectUpdate",
    tags: TAG,
    summary: "Edit, pin or unpin an update (maintainers only)",
    description:
      "New `content` or `images` make an edit: followers receive an `Update` with a newer `updated`. `pinned: true` pins it " +
      `(the project's featured post; a previously pinned one is unpinned), \`pinned: false\` unpins it; followers receive \`Add\` / \`Remove\`. ${IMAGES_NOTE}`,
    auth: true,
    pathParams: UpdateParams,
    body: { schema: EditUpdateSchema },
    responses: {
      200: { description: "The update", schema: UpdateJson },
      401: error("Not signed in"),
      403: error("Not a maintainer"),
      404: error("No such update"),
      410: error("The update was deleted"),
      422: error("A field is invalid"),
    },
  },
  {
    method: "delete",
    path: "/v1/projects/{handle}/updates/{id}",
    operationId: "deleteProjectUpdate",
    tags: TAG,
    summary: "Delete an update (maintainers only)",
    description: "Followers receive a `Delete` with a `Tombstone`; the update's URL answers 410 from then on.",
    auth: true,
    pathParams: UpdateParams,
    responses: { 204: { description: "Deleted" }, 401: error("Not signed in"), 403: error("Not a maintainer"), 404: error("No such update"), 410: error("Already deleted") },
  },
];
