import type { Hono } from "hono";

/** One route the app registers, as Hono reports it, with what the OpenAPI document says of it. */
export interface RouteTarget {
  readonly method: string;
  /** Hono's pattern, e.g. `/api/v1/projects/:handle/updates/:id`. */
  readonly path: string;
  readonly api: boolean;
  /** Served by Fedify as ActivityPub JSON. */
  readonly activityPub?: boolean;
  /** The operation in /api/openapi.json, when the route is documented there. */
  readonly operation: OpenApiOperation | undefined;
}

export interface OpenApiOperation {
  readonly parameters?: readonly { name: string; in: string; schema?: JsonSchema }[];
  readonly requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly example?: unknown;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
}

/** Files served as they are; nothing in them reads input. */
const UNREAD = /^\/(?:static\/|favicon\.ico$|healthz$)/;

/**
 * Every route of the app that reads input, from `app.routes` (so a route added tomorrow is fuzzed
 * without touching this file), paired with its OpenAPI operation. Middlewares (`ALL`) are skipped.
 */
export function fuzzableRoutes(app: Hono<never> | Hono<any>, openapi: { paths: Record<string, Record<string, OpenApiOperation>> }): RouteTarget[] {
  const seen = new Set<string>();
  const routes: RouteTarget[] = [];
  for (const { method, path } of app.routes) {
    if (method === "ALL" || UNREAD.test(path) || path.endsWith("/*")) continue;
    const key = `${method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const api = path.startsWith("/api/");
    const openapiPath = path.replace(/^\/api/, "").replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");
    routes.push({ method, path, api, operation: api ? openapi.paths[openapiPath]?.[method.toLowerCase()] : undefined });
  }
  // Deletions last, so the other routes meet the fixtures (an update, a token) while they still exist.
  return routes.sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE") || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/**
 * What Fedify serves before Hono's routes (so `app.routes` cannot list it), as ActivityPub GETs with
 * a query to fuzz: the URI templates of federation/uris.ts in Hono's `:param` form, plus WebFinger.
 */
export function fedifyRoutes(templates: readonly string[]): RouteTarget[] {
  const paths = ["/.well-known/webfinger", "/.well-known/nodeinfo", ...templates.map((t) => t.replace(/\{(\w+)\}/g, (_, name: string) => `:${name}`))];
  return paths.map((path) => ({ method: "GET", path, api: false, operation: undefined, activityPub: true }));
}

/** `path` with each parameter replaced by the (already encoded) value `valueOf` gives; a segment may have a literal prefix (`@:handle`). */
export function fillPath(path: string, valueOf: (name: string, after: string, constraint: string | undefined) => string): string {
  const segments = path.split("/");
  return segments
    .map((segment, i) => {
      const match = /^([^:]*):(\w+)(?:\{(.*)\})?$/.exec(segment);
      return match ? match[1]! + valueOf(match[2]!, segments[i - 1] ?? "", match[3]) : segment;
    })
    .join("/");
}
