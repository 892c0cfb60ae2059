import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer, type Viewer } from "../http/viewer.ts";
import type { Follower, Following } from "../modules/following/index.ts";
import { FollowRequestSchema } from "../modules/following/following.schemas.ts";
import { readDeleteInput } from "./delete-input.ts";
import { type ApiOperation, error, itemsOf, type JsonOf, Timestamp, Url } from "./openapi-registry.ts";
import { RemoteAccountJson } from "./remote-json.ts";
import { readJson } from "../http/read-json.ts";

/** Whom the signed-in member follows on other servers: `POST|GET|DELETE /api/v1/follows` (DELETE names the account in `?target=`). */
export function createFollowsApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { following: follows } = deps.services;

  api.get("/follows", async (c) => {
    const viewer = requireViewer(c);
    const items = await follows.list(viewer.actorId);
    return c.json({ items: items.map(toFollowJson) });
  });

  api.post("/follows", async (c) => {
    const member = followerOf(requireViewer(c));
    const { target } = await readJson(c, FollowRequestSchema);
    const { following, created } = await follows.follow(member, target);
    return c.json(toFollowJson(following), created ? 201 : 200);
  });

  api.delete("/follows", async (c) => {
    const member = followerOf(requireViewer(c));
    const { target } = await readDeleteInput(c, FollowRequestSchema);
    await follows.unfollow(member, target);
    return c.body(null, 204);
  });

  return api;
}

function followerOf(viewer: Viewer): Follower {
  return { actorId: viewer.actorId, handle: viewer.handle };
}

export function toFollowJson(following: Following): JsonOf<typeof FollowJson> {
  const { target } = following;
  return {
    id: following.id,
    target: { iri: target.iri, acct: target.handle, name: target.name, url: target.url, avatar: target.iconUrl },
    state: following.state,
    followIri: following.followIri,
    createdAt: following.createdAt.toISOString(),
  };
}

const FollowJson = z
  .object({
    id: z.number().int(),
    target: RemoteAccountJson,
    state: z.enum(["pending", "accepted"]).meta({ description: "`pending` until the followee's server sends its Accept" }),
    followIri: Url.meta({ description: "The id of the Follow activity sent" }),
    createdAt: Timestamp,
  })
  .meta({ id: "Follow" });

const TARGET =
  "The account's URL (`https://mastodon.social/@alice`, or its actor id) or handle (`@alice@mastodon.social` or `alice@mastodon.social`)";
const TAG = ["follows"];

export const followsOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/follows",
    operationId: "listFollows",
    tags: TAG,
    summary: "The accounts on other servers you follow or asked to follow",
    auth: true,
    responses: { 200: { description: "Newest first", schema: itemsOf(FollowJson) }, 401: error("Not signed in") },
  },
  {
    method: "post",
    path: "/v1/follows",
    operationId: "followAccount",
    tags: TAG,
    summary: "Follow an account on another server",
    description:
      `\`target\` is ${TARGET.charAt(0).toLowerCase()}${TARGET.slice(1)}. ` +
      "Looks the account up (WebFinger for a handle, the URL itself otherwise, with a request signed by your actor), " +
      "stores the follow as `pending` and sends a `Follow`. It becomes `accepted` when the account's server sends `Accept`; " +
      "only then do its posts appear in `GET /api/v1/timeline`. Following an account you already follow returns 200 with that follow.",
    auth: true,
    body: { schema: FollowRequestSchema },
    responses: {
      201: { description: "The follow was requested", schema: FollowJson },
      200: { description: "You already follow (or asked to follow) this account", schema: FollowJson },
      401: error("Not signed in"),
      422: error("The target is not a URL or handle, no fediverse account was found there, or it is on this node"),
    },
  },
  {
    method: "delete",
    path: "/v1/follows",
    operationId: "unfollowAccount",
    tags: TAG,
    summary: "Stop following an account (or withdraw the request)",
    description:
      "Deletes the follow and sends `Undo(Follow)` to the account's server. Name the account in the `target` query parameter; " +
      "a JSON body `{target}` still works but is deprecated.",
    auth: true,
    query: FollowRequestSchema,
    paramDescriptions: { target: TARGET },
    body: { schema: FollowRequestSchema, required: false, deprecated: true, description: "Deprecated: send `target` as a query parameter" },
    responses: { 204: { description: "Unfollowed" }, 401: error("Not signed in"), 404: error("You do not follow this account"), 422: error("The target is not a URL or handle") },
  },
];
