import { SOFTWARE_VERSION } from "../platform/version.ts";
import { accountsOpenApi } from "./accounts.ts";
import { adminOpenApi } from "./admin.ts";
import { directoryOpenApi } from "./directory.ts";
import { charterOpenApi } from "./charter.ts";
import { followersOpenApi } from "./followers.ts";
import { followsOpenApi } from "./follows.ts";
import { meOpenApi } from "./me.ts";
import { peersOpenApi } from "./peers.ts";
import { mediaOpenApi } from "./media.ts";
import type { OpenApiPaths } from "./openapi-registry.ts";
import { projectsOpenApi } from "./projects.ts";
import { repliesOpenApi } from "./replies.ts";
import { timelineOpenApi } from "./timeline.ts";
import { tokensOpenApi } from "./tokens.ts";
import { updatesOpenApi } from "./updates.ts";

const RESOURCE_PATHS: OpenApiPaths[] = [followersOpenApi, accountsOpenApi, tokensOpenApi, meOpenApi, adminOpenApi, mediaOpenApi, projectsOpenApi, updatesOpenApi, followsOpenApi, timelineOpenApi, repliesOpenApi, charterOpenApi, directoryOpenApi, peersOpenApi];

/** The OpenAPI 3.1 document of the JSON API, assembled from each resource's paths. */
export function buildOpenApiDocument(publicUrl: URL): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Commonsnet API",
      version: SOFTWARE_VERSION,
      description: "Members, projects, updates and follows of a Commonsnet node. Errors are {error, message, issues?}.",
    },
    servers: [{ url: new URL("/api", publicUrl).href }],
    components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "A token from POST /api/v1/tokens" } } },
    paths: Object.assign({}, ...RESOURCE_PATHS),
  };
}
