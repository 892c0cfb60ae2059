import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { createAccountsApi } from "./accounts.ts";
import { createAdminApi } from "./admin.ts";
import { createDesignForksApi } from "./design-forks.ts";
import { createDesignsApi } from "./designs.ts";
import { createDirectoryApi } from "./directory.ts";
import { createReleaseUploadApi } from "./design-release-upload.ts";
import { createDesignImportApi } from "./design-import.ts";
import { createCharterApi } from "./charter.ts";
import { createFollowersApi } from "./followers.ts";
import { createFollowsApi } from "./follows.ts";
import { createMeApi } from "./me.ts";
import { createMadeReportsApi } from "./made-reports.ts";
import { createMediaApi } from "./media.ts";
import { createPeersApi } from "./peers.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { createProjectsApi } from "./projects.ts";
import { createRepliesApi } from "./replies.ts";
import { createTimelineApi } from "./timeline.ts";
import { createTokensApi } from "./tokens.ts";
import { createUpdatesApi } from "./updates.ts";

/**
 * The JSON API under /api. Each resource is a sub-app in its own file (server/api/<resource>.ts)
 * with its OpenAPI description beside it (server/api/openapi.ts assembles the document); this file only mounts them.
 */
export function createApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  // The document changes only with the code: built on first request, then served as is.
  let openApiDocument: Record<string, unknown> | undefined;
  api.get("/openapi.json", (c) => c.json((openApiDocument ??= buildOpenApiDocument(deps.config.publicUrl))));
  api.route("/v1", createAccountsApi(deps));
  api.route("/v1", createTokensApi(deps));
  api.route("/v1", createMeApi(deps));
  api.route("/v1", createAdminApi(deps));
  api.route("/v1", createMediaApi(deps));
  api.route("/v1", createFollowersApi(deps));
  api.route("/v1", createProjectsApi(deps));
  api.route("/v1", createUpdatesApi(deps));
  api.route("/v1", createFollowsApi(deps));
  api.route("/v1", createTimelineApi(deps));
  api.route("/v1", createRepliesApi(deps));
  api.route("/v1", createDirectoryApi(deps));
  api.route("/v1", createCharterApi(deps));
  api.route("/v1", createPeersApi(deps));
  api.route("/v1", createDesignForksApi(deps));
  api.route("/v1", createMadeReportsApi(deps));
  api.route("/v1", createReleaseUploadApi(deps));
  // Before the designs API, so `import` is never read as a design's handle.
  api.route("/v1", createDesignImportApi(deps));
  api.route("/v1", createDesignsApi(deps));
  return api;
}
