import type { Context } from "hono";
import { Hono } from "hono";
import { buildFollowResponseDraft } from "../../federation/follow-responses.ts";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { invalidInput, notFound } from "../platform/errors.ts";
import { type Follower, findFollowerByActor, findFollowerById, countFollowers, listFollowers } from "../modules/followers/index.ts";
import { FollowerIdSchema, FollowerListQuerySchema, RemoveFollowerSchema } from "../modules/followers/follower.schema.ts";
import { removeFollower } from "../modules/followers/follows.ts";
import { requireMaintainer, requireProject } from "../modules/projects/project.service.ts";
import { BEARER, ERROR_SCHEMA, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

function toFollowerJson(follower: Follower) {
  return { id: follower.id, acct: follower.handle, iri: follower.iri, since: follower.createdAt.toISOString() };
}

/**
 * A project's remote followers: anyone may list them (the followers collection is public too);
 * maintainers may remove one, which sends the follower's server a `Reject` of its Follow.
 */
export function createFollowersApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get("/projects/:handle/followers", async (c) => {
    const project = await requireProject(deps.db, deps.config.publicUrl, c.req.param("handle"));
    const query = FollowerListQuerySchema.safeParse(c.req.query());
    if (!query.success) throw invalidInput(query.error);
    const afterId = query.data.cursor === undefined ? undefined : Number(query.data.cursor);
    const [total, page] = await Promise.all([
      countFollowers(deps.db, project.actorId),
      listFollowers(deps.db, project.actorId, { afterId, limit: query.data.limit }),
    ]);
    return c.json({
      total,
      items: page.items.map(toFollowerJson),
      next: page.nextAfterId === null ? null : String(page.nextAfterId),
    });
  });

  api.delete("/projects/:handle/followers", async (c) => {
    const { project } = await requireMaintainerOf(c, deps);
    const input = await readJson(c, RemoveFollowerSchema);
    const follower = await findFollowerByActor(deps.db, project.actorId, input);
    if (follower === undefined) throw notFound(`${input.acct ?? input.iri} does not follow @${project.handle}.`);
    return c.json(await remove(deps, project.handle, follower));
  });

  api.delete("/projects/:handle/followers/:followerId", async (c) => {
    const { project } = await requireMaintainerOf(c, deps);
    const id = FollowerIdSchema.safeParse(c.req.param("followerId"));
    const follower = id.success ? await findFollowerById(deps.db, project.actorId, id.data) : undefined;
    if (follower === undefined) throw notFound(`No follower ${c.req.param("followerId")} of @${project.handle}.`);
    return c.json(await remove(deps, project.handle, follower));
  });

  return api;
}

async function requireMaintainerOf(c: Context<AppEnv>, deps: AppDeps) {
  const viewer = requireViewer(c);
  const project = await requireProject(deps.db, deps.config.publicUrl, c.req.param("handle") ?? "");
  await requireMaintainer(deps.db, project, viewer.actorId);
  return { viewer, project };
}

async function remove(deps: AppDeps, handle: string, follower: Follower) {
  const ctx = deps.federation.createContext(deps.config.publicUrl, deps);
  await removeFollower(deps.db, follower, (f) =>
    buildFollowResponseDraft(ctx, "reject", { handle, followIri: f.followIri, followerIri: f.iri, followerInbox: f.inbox }),
  );
  return { removed: toFollowerJson(follower) };
}

const error = (description: string) => jsonResponse(description, ERROR_SCHEMA);
const FOLLOWER_SCHEMA = {
  type: "object",
  required: ["id", "acct", "iri"],
  properties: {
    id: { type: "integer", description: "Pass it to DELETE …/followers/{followerId}" },
    acct: { type: "string", description: "user@host" },
    iri: { type: "string", format: "uri" },
    since: { type: "string", format: "date-time" },
  },
};
const HANDLE_PARAM = { name: "handle", in: "path", required: true, schema: { type: "string" } };
const REMOVED = jsonResponse("The follower was removed and sent a Reject of its Follow", {
  type: "object",
  properties: { removed: FOLLOWER_SCHEMA },
});
const REMOVE_ERRORS = { 401: error("Not signed in"), 403: error("Not a maintainer of this project"), 404: error("No such project or follower") };

export const followersOpenApi: OpenApiPaths = {
  "/v1/projects/{handle}/followers": {
    get: {
      summary: "A project's followers",
      description: "Oldest first, `limit` (1–200, default 40) at a time; pass `next` as `cursor` for the following page.",
      tags: ["followers"],
      parameters: [
        HANDLE_PARAM,
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 40 } },
        { name: "cursor", in: "query", schema: { type: "string" } },
      ],
      responses: {
        200: jsonResponse("The followers", {
          type: "object",
          required: ["total", "items"],
          properties: { total: { type: "integer" }, items: { type: "array", items: FOLLOWER_SCHEMA }, next: { type: ["string", "null"] } },
        }),
        404: error("No such project"),
        422: error("Bad limit or cursor"),
      },
    },
    delete: {
      summary: "Remove a follower (maintainers only)",
      description: "Deletes the follow and sends the follower's server a `Reject` of its Follow, which Mastodon treats as an unfollow.",
      tags: ["followers"],
      security: BEARER,
      parameters: [HANDLE_PARAM],
      requestBody: jsonBody({
        type: "object",
        additionalProperties: false,
        description: "Exactly one of acct or iri",
        properties: { acct: { type: "string", example: "alice@mastodon.example" }, iri: { type: "string", format: "uri" } },
      }),
      responses: { 200: REMOVED, ...REMOVE_ERRORS, 422: error("Neither or both of acct and iri") },
    },
  },
  "/v1/projects/{handle}/followers/{followerId}": {
    delete: {
      summary: "Remove a follower by id (maintainers only)",
      tags: ["followers"],
      security: BEARER,
      parameters: [HANDLE_PARAM, { name: "followerId", in: "path", required: true, schema: { type: "integer" } }],
      responses: { 200: REMOVED, ...REMOVE_ERRORS },
    },
  },
};
