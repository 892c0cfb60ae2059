import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { notFound } from "../platform/errors.ts";
import { ProfileSchema } from "../modules/accounts/account.schemas.ts";
import { ProfileJson, toProfileJson } from "./account-json.ts";
import { type ApiOperation, error } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** The signed-in member's own profile. */
export function createMeApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { accounts } = deps.services;

  api.get("/me", async (c) => {
    const viewer = requireViewer(c);
    const profile = await accounts.profile(viewer.id);
    if (profile === undefined) throw notFound("Your account no longer exists.");
    return c.json(toProfileJson(deps.config, profile));
  });

  api.patch("/me", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, ProfileSchema);
    const profile = await accounts.editProfile(viewer.id, input);
    if (profile === undefined) throw notFound("Your account no longer exists.");
    return c.json(toProfileJson(deps.config, profile));
  });

  return api;
}

export const meOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/me",
    operationId: "getOwnProfile",
    tags: ["accounts"],
    summary: "Your own profile",
    auth: true,
    responses: { 200: { description: "Your profile", schema: ProfileJson }, 401: error("Not signed in") },
  },
  {
    method: "patch",
    path: "/v1/me",
    operationId: "editOwnProfile",
    tags: ["accounts"],
    summary: "Edit your display name, bio and avatar",
    description:
      "The bio is plain text (no Markdown or HTML). `avatar` is the id of your upload made with purpose `avatar` (POST /api/v1/media), or null to remove it. " +
      "Your followers receive an `Update` of your actor.",
    auth: true,
    body: { schema: ProfileSchema },
    responses: {
      200: { description: "The updated profile", schema: ProfileJson },
      401: error("Not signed in"),
      404: error("The avatar is not an upload of yours"),
      422: error("A field is invalid"),
    },
  },
];
