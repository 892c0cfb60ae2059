import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer, type Viewer } from "../http/viewer.ts";
import type { Following } from "../modules/following/index.ts";
import { listFollowing } from "../modules/following/index.ts";
import { FollowRequestSchema } from "../modules/following/following.schemas.ts";
import { type Follower, type FollowingPort, followRemoteActor, unfollowRemoteActor } from "../modules/following/follows.ts";
import { createFollowingPort } from "../../federation/following.ts";
import { BEARER, ERROR_SCHEMA, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** Whom the signed-in member follows on other servers: `POST|GET|DELETE /api/v1/follows`. */
export function createFollowsApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const port = followingPortOf(deps);

  api.get("/follows", async (c) => {
    const viewer = requireViewer(c);
    const items = await listFollowing(deps.db, viewer.actorId);
    return c.json({ items: items.map(toFollowJson) });
  });

  api.post("/follows", async (c) => {
    const member = followerOf(requireViewer(c));
    const { target } = await readJson(c, FollowRequestSchema);
    const { following, created } = await followRemoteActor(deps.db, member, target, port);
    return c.json(toFollowJson(following), created ? 201 : 200);
  });

  api.delete("/follows", async (c) => {
    const member = followerOf(requireViewer(c));
    const { target } = await readJson(c, FollowRequestSchema);
    await unfollowRemoteActor(deps.db, member, target, port);
    return c.body(null, 204);
  });

  return api;
}

function followerOf(viewer: Viewer): Follower {
  return { actorId: viewer.actorId, handle: viewer.handle };
}

/** One port per app: it holds a Fedify context made from the node's public URL. */
function followingPortOf(deps: AppDeps): FollowingPort {
  return createFollowingPort(deps.federation, { db: deps.db, box: deps.box, config: deps.config });
}

export function toFollowJson(following: Following) {
  const { target } = following;
  return {
    id: following.id,
    target: { iri: target.iri, acct: target.handle, name: target.name, url: target.url, avatar: target.iconUrl },
    state: following.state,
    followIri: following.followIri,
    createdAt: following.createdAt.toISOString(),
  };
}

const FOLLOW_SCHEMA = {
  type: "object",
  required: ["id", "target", "state"],
  properties: {
    id: { type: "integer" },
    target: {
      type: "object",
      required: ["iri", "acct", "name"],
      properties: {
        iri: { type: "string", format: "uri", description: "The followed actor's id" },
        acct: { type: "string", description: "`user@host`" },
        name: { type: "string" },
        url: { type: ["string", "null"], format: "uri" },
        avatar: { type: ["string", "null"], format: "uri" },
      },
    },
    state: { type: "string", enum: ["pending", "accepted"], description: "`pending` until the followee's server sends its Accept" },
    followIri: { type: "string", format: "uri", description: "The id of the Follow activity sent" },
    createdAt: { type: "string", format: "date-time" },
  },
} as const;

const TARGET_BODY = jsonBody({
  type: "object",
  required: ["target"],
  properties: {
    target: {
      type: "string",
      maxLength: 2048,
      description: "The account's URL (`https://mastodon.social/@alice`, or its actor id) or handle (`@alice@mastodon.social` or `alice@mastodon.social`)",
    },
  },
});

const error = (description: string) => jsonResponse(description, ERROR_SCHEMA);

export const followsOpenApi: OpenApiPaths = {
  "/v1/follows": {
    get: {
      summary: "The accounts on other servers you follow or asked to follow",
      tags: ["follows"],
      security: BEARER,
      responses: {
        200: jsonResponse("Newest first", { type: "object", required: ["items"], properties: { items: { type: "array", items: FOLLOW_SCHEMA } } }),
        401: error("Not signed in"),
      },
    },
    post: {
      summary: "Follow an account on another server",
      description:
        "Looks the account up (WebFinger for a handle, the URL itself otherwise, with a request signed by your actor), " +
        "stores the follow as `pending` and sends a `Follow`. It becomes `accepted` when the account's server sends `Accept`; " +
        "only then do its posts appear in `GET /api/v1/timeline`. Following an account you already follow returns 200 with that follow.",
      tags: ["follows"],
      security: BEARER,
      requestBody: TARGET_BODY,
      responses: {
        201: jsonResponse("The follow was requested", FOLLOW_SCHEMA),
        200: jsonResponse("You already follow (or asked to follow) this account", FOLLOW_SCHEMA),
        401: error("Not signed in"),
        422: error("The target is not a URL or handle, no fediverse account was found there, or it is on this node"),
      },
    },
    delete: {
      summary: "Stop following an account (or withdraw the request)",
      description: "Deletes the follow and sends `Undo(Follow)` to the account's server.",
      tags: ["follows"],
      security: BEARER,
      requestBody: TARGET_BODY,
      responses: { 204: { description: "Unfollowed" }, 401: error("Not signed in"), 404: error("You do not follow this account"), 422: error("The target is not a URL or handle") },
    },
  },
};
