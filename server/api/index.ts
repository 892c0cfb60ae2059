import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../app-env.ts";
import { buildOpenApiDocument } from "./openapi.ts";

/**
 * The JSON API under /api. Each resource is a sub-app in its own file (server/api/<resource>.ts)
 * with its OpenAPI paths beside it; this file only mounts them.
 */
export function createApiRoutes(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  api.get("/openapi.json", (c) => c.json(buildOpenApiDocument(deps.config.publicUrl)));
  return api;
}
