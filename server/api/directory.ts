import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { invalidInput } from "../platform/errors.ts";
import { DIRECTORY_KINDS } from "../modules/charter/charter.schema.ts";
import type { DirectoryHit } from "../modules/directory/index.ts";
import type { DirectoryKind } from "../modules/directory/directory-entry.schema.ts";
import { directorySearchInput, DirectorySearchSchema, PAGE_MAX, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, RADIUS_KM_MAX } from "../modules/directory/directory-search.schema.ts";
import { type ApiOperation, error, type JsonOf, Url } from "./openapi-registry.ts";

/** The directory: this node's listings and those its peers shared, searchable by anyone. */
export function createDirectoryApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.get("/directory", async (c) => {
    const parsed = DirectorySearchSchema.safeParse(directorySearchInput(c.req.queries()));
    if (!parsed.success) throw invalidInput(parsed.error);
    const results = await deps.services.directory.search(parsed.data);
    // Public data: maps on other sites (Murmurations-style aggregators) may read it from the browser.
    c.header("Access-Control-Allow-Origin", "*");
    return c.json({ total: results.total, items: results.items.map(toDirectoryItemJson) });
  });

  return api;
}

export function toDirectoryItemJson(hit: DirectoryHit): JsonOf<typeof DirectoryEntryJson> {
  return {
    iri: hit.iri,
    // Entries are stored only after DirectoryKindSchema accepted their kind (local or from a peer).
    kind: hit.kind as DirectoryKind,
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
    ...(hit.kind === "design" && {
      design: {
        licence: hit.licence,
        latestVersion: hit.latestVersion,
        madeCount: hit.madeCount,
        madePlaces: hit.madePoints.map((p) => ({ latitude: p.latitude, longitude: p.longitude })),
      },
    }),
  };
}

const DirectoryEntryJson = z
  .object({
    iri: Url.meta({ description: "The entry's stable IRI at its origin (its JSON-LD document)" }),
    kind: z.enum(DIRECTORY_KINDS),
    name: z.string().meta({ description: "Plain text" }),
    summary: z.string().meta({ description: "Plain text" }),
    tags: z.array(z.string()),
    location: z.object({
      name: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      locality: z.string().nullable(),
      region: z.string().nullable(),
      country: z.string().nullable().meta({ description: "ISO 3166-1 alpha-2" }),
      bioregion: z.string().nullable(),
    }),
    url: Url.meta({ description: "The listed thing's page" }),
    origin: Url.meta({ description: "The actor of the node that published the entry" }),
    distanceKm: z.number().optional().meta({ description: "From the search's point, to 0.1 km (only when a point was given)" }),
    design: z
      .object({
        licence: z.string().nullable().meta({ description: "SPDX licence identifier (https://spdx.org/licenses/)" }),
        latestVersion: z.string().nullable().meta({ description: "The newest release's version; null before the first release" }),
        madeCount: z.number().int().meta({ description: "How many builds were reported" }),
        madePlaces: z.array(z.object({ latitude: z.number(), longitude: z.number() })).meta({ description: "Where it was made (at most 500 places)" }),
      })
      .optional()
      .meta({ description: "Only for kind design" }),
  })
  .meta({ id: "DirectoryEntry" });

const DirectoryPageJson = z.object({ total: z.number().int(), items: z.array(DirectoryEntryJson) });

export const directoryOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/directory",
    operationId: "searchDirectory",
    tags: ["directory"],
    summary: "Search the directory",
    description:
      "This node's listings and those its peers shared, each with its origin node. Filters combine (AND). " +
      "Ordered by relevance when `q` is given, by distance when a point is, else newest first. " +
      "Designs (`kind=design`) carry their licence, latest version and builds, and are found by `licence` and `made_near` + `made_radius_km`. " +
      "Murmurations index parameters are accepted too: `name`, `lat`, `lon`, `range`, `tags`, `locality`, `region`, `country`, `page`, `page_size`.",
    query: DirectorySearchSchema,
    paramDescriptions: {
      q: "Full text over name, tags, summary and place; typos in the name are tolerated (trigram similarity)",
      name: "The same as q (Murmurations)",
      tags: "Comma-separated; entries must have every one (case-insensitive, normalised like hashtags). May repeat.",
      kind: "Kind of entry",
      node: "Origin node: its host (`city.example`) or its actor IRI",
      origin: "The same as node",
      near: "A point, `latitude,longitude`, e.g. 45.764,4.8357",
      radius_km: `Only entries within this distance of the point, at most ${RADIUS_KM_MAX} km`,
      lat: "Latitude of the point (Murmurations)",
      lon: "Longitude of the point (Murmurations)",
      range: "Distance from lat/lon: `25km`, `25` (km), `500m` or `10mi` (Murmurations)",
      locality: "Exact locality, case-insensitive",
      region: "Exact region, case-insensitive",
      country: "ISO 3166-1 alpha-2",
      bioregion: "Exact bioregion, case-insensitive",
      licence: "Designs under this licence: an SPDX identifier (https://spdx.org/licenses/), case-insensitive",
      made_near: "Designs made at least once near this point, `latitude,longitude`; needs made_radius_km",
      made_radius_km: `Distance from made_near, at most ${RADIUS_KM_MAX} km (great-circle)`,
      sort: "Order; distance needs a point",
      page: `From 1 to ${PAGE_MAX}, default 1`,
      page_size: `Items per page, from 1 to ${PAGE_SIZE_MAX}, default ${PAGE_SIZE_DEFAULT}`,
    },
    responses: {
      200: { description: "Matching entries", schema: DirectoryPageJson },
      422: error("A parameter is invalid (the message names it)"),
    },
  },
];
