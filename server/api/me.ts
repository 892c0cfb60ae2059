import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { notFound } from "../platform/errors.ts";
import { ProfileSchema } from "../modules/accounts/account.schemas.ts";
import { findMemberProfileByAccountId } from "../modules/accounts/index.ts";
import { updateMemberProfile } from "../modules/accounts/profile.ts";
import { personUpdatePublisher } from "../../federation/person.ts";
import { PROFILE_SCHEMA, toProfileJson } from "./account-json.ts";
import { BEARER, ERROR_SCHEMA, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** The signed-in member's own profile. */
export function createMeApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get("/me", async (c) => {
    const viewer = requireViewer(c);
    const profile = await findMemberProfileByAccountId(deps.db, viewer.id);
    if (profile === undefined) throw notFound("Your account no longer exists.");
    return c.json(toProfileJson(deps.config, profile));
  });

  api.patch("/me", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, ProfileSchema);
    const profile = await updateMemberProfile(deps.db, viewer.id, input, personUpdatePublisher(deps.federation, deps));
    if (profile === undefined) throw notFound("Your account no longer exists.");
    return c.json(toProfileJson(deps.config, profile));
  });

  return api;
}

const error = (description: string) => jsonResponse(description, ERROR_SCHEMA);

export const meOpenApi: OpenApiPaths = {
  "/v1/me": {
    get: {
      summary: "Your own profile",
      tags: ["accounts"],
      security: BEARER,
      responses: { 200: jsonResponse("Your profile", PROFILE_SCHEMA), 401: error("Not signed in") },
    },
    patch: {
      summary: "Edit your display name, bio and avatar",
      description: "The bio is plain text (no Markdown or HTML), at most 500 characters. Your followers receive an `Update` of your actor.",
      tags: ["accounts"],
      security: BEARER,
      requestBody: jsonBody({
        type: "object",
        additionalProperties: false,
        properties: {
          displayName: { type: "string", maxLength: 100 },
          bio: { type: "string", maxLength: 500 },
          avatar: { type: ["string", "null"], description: "The id of your upload made with purpose `avatar` (POST /api/v1/media), or null to remove it" },
        },
      }),
      responses: {
        200: jsonResponse("The updated profile", PROFILE_SCHEMA),
        401: error("Not signed in"),
        404: error("The avatar is not an upload of yours"),
        422: error("A field is invalid"),
      },
    },
  },
};
