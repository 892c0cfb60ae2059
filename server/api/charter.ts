import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireAdmin } from "../http/viewer.ts";
import { DomainError, invalidInput, notFound } from "../platform/errors.ts";
import type { CharterService } from "../modules/charter/index.ts";
import { CharterUpdateSchema } from "../modules/charter/charter.schema.ts";
import { CharterDiffJson, CharterHistoryEntryJson, CharterJson, toCharterJson, toDiffJson, toHistoryJson } from "./charter-json.ts";
import { type ApiOperation, error, itemsOf } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

const VersionSchema = z.coerce.number().int().positive().max(1_000_000_000);
const DiffQuerySchema = z.object({
  // Bounded like the path's version: the column is a 32-bit integer, and 2^31 must be a 4xx, not a database error.
  from: z.coerce
    .number({ error: "must be a version number" })
    .int({ error: "must be a version number" })
    .positive({ error: "must be a version number" })
    .max(1_000_000_000, { error: "must be a version number" })
    .optional(),
});

/** The node's charter: current version and history (public), new versions (admins). */
export function createCharterApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { config } = deps;
  const { charter } = deps.services;

  api.get("/charter", async (c) => c.json(toCharterJson(config, await charter.current())));

  api.get("/charter/versions", async (c) => c.json({ items: (await charter.history()).map(toHistoryJson) }));

  api.get("/charter/versions/:version", async (c) => {
    const found = await findVersion(charter, c.req.param("version"));
    return c.json(toCharterJson(config, found));
  });

  api.get("/charter/versions/:version/diff", async (c) => {
    const to = await findVersion(charter, c.req.param("version"));
    const query = DiffQuerySchema.safeParse(c.req.query());
    if (!query.success) throw invalidInput(query.error);
    const from = query.data.from ?? to.version - 1;
    if (from < 1) throw new DomainError("invalid_input", "invalid_input", "from: version 1 is the first version; give another version to compare it with", [{ path: "from", message: "is required for version 1" }]);
    const diff = await charter.diff(from, to.version);
    if (diff === undefined) throw notFound(`There is no charter version ${from}.`);
    return c.json(toDiffJson(from, to.version, diff.changes));
  });

  api.put("/admin/charter", async (c) => {
    const admin = requireAdmin(c);
    const input = await readJson(c, CharterUpdateSchema);
    const result = await charter.revise(input, { accountId: admin.id, handle: admin.handle });
    if (result.outcome === "conflict") throw new DomainError("conflict", "conflict", result.message);
    return c.json(toCharterJson(config, result.version), result.outcome === "created" ? 201 : 200);
  });

  return api;
}

async function findVersion(charter: CharterService, param: string) {
  const version = VersionSchema.safeParse(param);
  const found = version.success ? await charter.version(version.data) : undefined;
  if (found === undefined) throw notFound(`There is no charter version ${param}.`);
  return found;
}

const VersionParams = z.object({ version: VersionSchema });
const TAG = ["charter"];

export const charterOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/charter",
    operationId: "getCharter",
    tags: TAG,
    summary: "The node's charter in force",
    description:
      "The node's rules as data: registration mode, federation mode with its peer lists (enforced on every inbound activity), " +
      "directory kinds and hop limit, accepted licences, moderation rules and contact. Also served as JSON-LD at `/charter`.",
    responses: { 200: { description: "The current version", schema: CharterJson } },
  },
  {
    method: "get",
    path: "/v1/charter/versions",
    operationId: "listCharterVersions",
    tags: TAG,
    summary: "The charter's history",
    responses: { 200: { description: "Every version, newest first", schema: itemsOf(CharterHistoryEntryJson) } },
  },
  {
    method: "get",
    path: "/v1/charter/versions/{version}",
    operationId: "getCharterVersion",
    tags: TAG,
    summary: "One version of the charter",
    pathParams: VersionParams,
    responses: { 200: { description: "The version", schema: CharterJson }, 404: error("No such version") },
  },
  {
    method: "get",
    path: "/v1/charter/versions/{version}/diff",
    operationId: "diffCharterVersions",
    tags: TAG,
    summary: "What changed between two versions",
    pathParams: VersionParams,
    query: DiffQuerySchema,
    paramDescriptions: { from: "The version to compare with (default: the one before)" },
    responses: {
      200: { description: "The changed paths with their old and new values", schema: CharterDiffJson },
      404: error("No such version"),
      422: error("`from` is not a version number"),
    },
  },
  {
    method: "put",
    path: "/v1/admin/charter",
    operationId: "reviseCharter",
    tags: ["charter", "admin"],
    summary: "Make a new version of the charter (admins)",
    description:
      "The whole charter, with an optional `note` (why) and `basedOn` (the version you edited: if another admin saved since, the answer is 409). " +
      "It applies from the next request on: registration at once, federation rules on the next inbound activity. " +
      "Sending the rules in force changes nothing (200).",
    auth: true,
    body: { schema: CharterUpdateSchema },
    responses: {
      201: { description: "The new version", schema: CharterJson },
      200: { description: "The rules were already in force: the current version, unchanged", schema: CharterJson },
      401: error("Not signed in"),
      403: error("Not an admin"),
      409: error("`basedOn` is not the current version"),
      422: error("A field is wrong; `issues` names each one"),
    },
  },
];
