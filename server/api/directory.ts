import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { invalidInput } from "../platform/errors.ts";
import { DIRECTORY_KINDS } from "../modules/charter/charter.schema.ts";
import { type DirectoryHit, searchDirectory } from "../modules/directory/index.ts";
import { directorySearchInput, DirectorySearchSchema, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, SORTS } from "../modules/directory/directory-search.schema.ts";
import { ERROR_SCHEMA, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
import { directoryVisibility } from "../modules/directory/directory-visibility.ts";

/** The directory: this node's listings and those its peers shared, searchable by anyone. */
export function createDirectoryApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get("/directory", async (c) => {
    const parsed = DirectorySearchSchema.safeParse(directorySearchInput(c.req.queries()));
    if (!parsed.success) throw invalidInput(parsed.error);
    const results = await searchDirectory(deps.db, parsed.data, await directoryVisibility(deps));
    // Public data: maps on other sites (Murmurations-style aggregators) may read it from the browser.
    c.header("Access-Control-Allow-Origin", "*");
    return c.json({ total: results.total, items: results.items.map(toDirectoryItemJson) });
  });

  return api;
}

export function toDirectoryItemJson(hit: DirectoryHit) {
  return {
    iri: hit.iri,
    kind: hit.kind,
    name: hit.name,
    summary: hit.summary,
    tags: hit.tags,
    location: {
      name: hit.location?.name ?? null,
      latitude: hit.location?.latitude ?? null,
      longitude: hit.location?.longitude ?? null,
      locality: hit.locality,
      region: hit.region,
      country: hit.country,
      bioregion: hit.bioregion,
    },
    url: hit.url,
    origin: hit.origin,
    ...(hit.distanceKm !== undefined && { distanceKm: hit.distanceKm }),
  };
}

const query = (name: string, description: string, schema: Record<string, unknown> = { type: "string" }) => ({ name, in: "query", required: false, description, schema });
const nullableText = { type: ["string", "null"] };

const ITEM_SCHEMA = {
  type: "object",
  required: ["iri", "kind", "name", "summary", "tags", "location", "url", "origin"],
  properties: {
    iri: { type: "string", format: "uri", description: "The entry's stable IRI at its origin (its JSON-LD document)" },
    kind: { type: "string", enum: [...DIRECTORY_KINDS] },
    name: { type: "string", description: "Plain text" },
    summary: { type: "string", description: "Plain text" },
    tags: { type: "array", items: { type: "string" } },
    location: {
      type: "object",
      properties: {
        name: nullableText,
        latitude: { type: ["number", "null"] },
        longitude: { type: ["number", "null"] },
        locality: nullableText,
        region: nullableText,
        country: { type: ["string", "null"], description: "ISO 3166-1 alpha-2" },
        bioregion: nullableText,
      },
    },
    url: { type: "string", format: "uri", description: "The listed thing's page" },
    origin: { type: "string", format: "uri", description: "The actor of the node that published the entry" },
    distanceKm: { type: "number", description: "From the search's point, to 0.1 km (only when a point was given)" },
  },
} as const;

export const directoryOpenApi: OpenApiPaths = {
  "/v1/directory": {
    get: {
      summary: "Search the directory",
      description:
        "This node's listings and those its peers shared, each with its origin node. Filters combine (AND). " +
        "Ordered by relevance when `q` is given, by distance when a point is, else newest first. " +
        "Murmurations index parameters are accepted too: `name`, `lat`, `lon`, `range`, `tags`, `locality`, `region`, `country`, `page`, `page_size`.",
      tags: ["directory"],
      parameters: [
        query("q", "Full text over name, tags, summary and place; typos in the name are tolerated (trigram similarity)"),
        query("tags", "Comma-separated; entries must have every one (case-insensitive, normalised like hashtags). May repeat."),
        query("kind", "Kind of entry", { type: "string", enum: [...DIRECTORY_KINDS] }),
        query("node", "Origin node: its host (`city.example`) or its actor IRI; `origin` is a synonym"),
        query("near", "A point, `latitude,longitude`", { type: "string", example: "45.764,4.8357" }),
        query("radius_km", "Only entries within this distance of the point", { type: "number", exclusiveMinimum: 0, maximum: 20040 }),
        query("lat", "Latitude of the point (Murmurations)", { type: "number" }),
        query("lon", "Longitude of the point (Murmurations)", { type: "number" }),
        query("range", "Distance from lat/lon: `25km`, `25` (km), `500m` or `10mi` (Murmurations)"),
        query("locality", "Exact locality, case-insensitive"),
        query("region", "Exact region, case-insensitive"),
        query("country", "ISO 3166-1 alpha-2", { type: "string", pattern: "^[A-Za-z]{2}$" }),
        query("bioregion", "Exact bioregion, case-insensitive"),
        query("sort", "Order; distance needs a point", { type: "string", enum: [...SORTS] }),
        query("page", "From 1", { type: "integer", minimum: 1, maximum: 1000, default: 1 }),
        query("page_size", "Items per page", { type: "integer", minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT }),
      ],
      responses: {
        200: jsonResponse("Matching entries", { type: "object", required: ["total", "items"], properties: { total: { type: "integer" }, items: { type: "array", items: ITEM_SCHEMA } } }),
        422: jsonResponse("A parameter is invalid (the message names it)", ERROR_SCHEMA),
      },
    },
  },
};
