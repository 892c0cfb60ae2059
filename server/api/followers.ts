import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { invalidInput, notFound } from "../platform/errors.ts";
import type { Follower } from "../modules/followers/index.ts";
import { FollowerIdSchema, FollowerListQuerySchema, RemoveFollowerSchema } from "../modules/followers/follower.schema.ts";
import { readDeleteInput } from "./delete-input.ts";
import { type ApiOperation, error, type JsonOf, Timestamp, Url } from "./openapi-registry.ts";

function toFollowerJson(follower: Follower): JsonOf<typeof FollowerJson> {
  return { id: follower.id, acct: follower.handle, iri: follower.iri, since: follower.createdAt.toISOString() };
}

/**
 * A project's remote followers: anyone may list them (the followers collection is public too);
 * maintainers may remove one, which sends the follower's server a `Reject` of its Follow.
 */
export function createFollowersApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { projects, followers } = deps.services;

  api.get("/projects/:handle/followers", async (c) => {
    const project = await projects.require(c.req.param("handle"));
    const query = FollowerListQuerySchema.safeParse(c.req.query());
    if (!query.success) throw invalidInput(query.error);
    const afterId = query.data.cursor === undefined ? undefined : Number(query.data.cursor);
    const page = await followers.page(project, { afterId, limit: query.data.limit });
    const json: JsonOf<typeof FollowerPageJson> = {
      total: page.total,
      items: page.items.map(toFollowerJson),
      next: page.nextAfterId === null ? null : String(page.nextAfterId),
    };
    return c.json(json);
  });

  /** A maintainer of the project in the path removes one of its followers (404, then 403, for anyone else). */
  const remove = async (c: Context<AppEnv>, find: (project: { actorId: number; handle: string }) => Promise<Follower>) => {
    const { project } = await projects.requireMaintainer(c.req.param("handle") ?? "", requireViewer(c).actorId);
    const follower = await find(project);
    await followers.remove(project, follower);
    return c.json({ removed: toFollowerJson(follower) });
  };

  api.delete("/projects/:handle/followers", (c) =>
    remove(c, async (project) => {
      const input = await readDeleteInput(c, RemoveFollowerSchema);
      const follower = await followers.find(project, input);
      if (follower === undefined) throw notFound(`${input.acct ?? input.iri} does not follow @${project.handle}.`);
      return follower;
    }),
  );

  api.delete("/projects/:handle/followers/:followerId", (c) =>
    remove(c, async (project) => {
      const id = FollowerIdSchema.safeParse(c.req.param("followerId"));
      const follower = id.success ? await followers.find(project, { id: id.data }) : undefined;
      if (follower === undefined) throw notFound(`No follower ${c.req.param("followerId")} of @${project.handle}.`);
      return follower;
    }),
  );

  return api;
}

const FollowerJson = z
  .object({
    id: z.number().int().meta({ description: "Pass it to DELETE …/followers/{followerId}" }),
    acct: z.string().meta({ description: "user@host" }),
    iri: Url,
    since: Timestamp,
  })
  .meta({ id: "Follower" });
const RemovedJson = z.object({ removed: FollowerJson });
const FollowerPageJson = z.object({
  total: z.number().int(),
  items: z.array(FollowerJson),
  next: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; null on the last page" }),
});
const HandleParams = z.object({ handle: z.string().meta({ description: "The project's handle" }) });
const REMOVED = { description: "The follower was removed and sent a Reject of its Follow", schema: RemovedJson };
const REMOVE_ERRORS = { 401: error("Not signed in"), 403: error("Not a maintainer of this project"), 404: error("No such project or follower") };
const TAG = ["followers"];

export const followersOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/projects/{handle}/followers",
    operationId: "listProjectFollowers",
    tags: TAG,
    summary: "A project's followers",
    description: "Oldest first, `limit` at a time; pass `next` as `cursor` for the following page.",
    pathParams: HandleParams,
    query: FollowerListQuerySchema,
    responses: {
      200: { description: "The followers", schema: FollowerPageJson },
      404: error("No such project"),
      422: error("Bad limit or cursor"),
    },
  },
  {
    method: "delete",
    path: "/v1/projects/{handle}/followers",
    operationId: "removeProjectFollowerByAddress",
    tags: TAG,
    summary: "Remove a follower by `acct` or `iri` (maintainers only)",
    description:
      "Deletes the follow and sends the follower's server a `Reject` of its Follow, which Mastodon treats as an unfollow. " +
      "Name the follower with exactly one query parameter, `acct` or `iri`. The same fields in a JSON body still work but are deprecated.",
    auth: true,
    pathParams: HandleParams,
    query: RemoveFollowerSchema,
    paramDescriptions: { acct: "The follower's `user@host` (give this or iri)", iri: "The follower's actor id (give this or acct)" },
    body: { schema: RemoveFollowerSchema, required: false, deprecated: true, description: "Deprecated: send `acct` or `iri` as a query parameter" },
    responses: { 200: REMOVED, ...REMOVE_ERRORS, 422: error("Neither or both of acct and iri") },
  },
  {
    method: "delete",
    path: "/v1/projects/{handle}/followers/{followerId}",
    operationId: "removeProjectFollower",
    tags: TAG,
    summary: "Remove a follower by id (maintainers only)",
    auth: true,
    pathParams: HandleParams.extend({ followerId: FollowerIdSchema }),
    responses: { 200: REMOVED, ...REMOVE_ERRORS },
  },
];
