import { SOFTWARE_VERSION } from "../version.ts";
import type { OpenApiPaths } from "./openapi-registry.ts";

const RESOURCE_PATHS: OpenApiPaths[] = [];

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
