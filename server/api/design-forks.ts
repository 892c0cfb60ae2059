import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { readJson } from "../http/read-json.ts";
import { requireViewer } from "../http/viewer.ts";
import { type ForkNode, ForkRequestSchema, type ForkTree } from "../modules/design-forks/index.ts";
import { DesignJson, toDesignJson } from "./design-json.ts";
import { type ApiOperation, error, type JsonOf, Url } from "./openapi-registry.ts";

/** Forks across nodes: forking another node's release here, and the tree of a design's forks. */
export function createDesignForksApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { designForks, designs } = deps.services;

  api.post("/designs/forks", async (c) => {
    const viewer = requireViewer(c);
    const input = await readJson(c, ForkRequestSchema);
    const design = await designForks.fork(viewer.actorId, input);
    // As GET /api/v1/designs/{handle} answers it.
    const [releases, maintainers, counts, followersCount] = await Promise.all([
      designs.releases(design.handle),
      designs.maintainers(design),
      designs.designCounts(design),
      deps.services.followers.count(design),
    ]);
    return c.json(toDesignJson(deps.config, design, { releases, maintainers, followersCount, ...counts }), 201);
  });

  api.get("/designs/:handle/forks", async (c) => c.json(toForkTreeJson(await designForks.tree(c.req.param("handle")))));

  return api;
}

const ForkLinkJson = z.object({
  release: Url.meta({ description: "The release forked" }),
  design: Url.meta({ description: "Its design (actor id)" }),
  name: z.string(),
  host: z.string().meta({ description: "The node it was made on" }),
  licence: z.string().meta({ description: "SPDX identifier of the release's licence" }),
});

/** The answer's fork node: the domain's, field for field (the schema below is the contract). */
type ForkNodeJsonShape = Omit<ForkNode, "children"> & { readonly children: readonly ForkNodeJsonShape[] };

const ForkNodeJson: z.ZodType<ForkNodeJsonShape> = z
  .object({
    iri: Url.meta({ description: "The fork's design (actor id), on its node" }),
    url: Url.nullable().meta({ description: "Its page" }),
    name: z.string(),
    host: z.string().meta({ description: "The node it was made on" }),
    city: z.string().nullable().meta({ description: "That node's city, when the directory knows it" }),
    licence: z.string(),
    depth: z.number().int().meta({ description: "1: forked from this design directly; 2: from one of its forks…" }),
    forkOf: Url.meta({ description: "The release it was forked from" }),
    get children(): z.ZodArray<z.ZodType<ForkNodeJsonShape>> {
      return z.array(ForkNodeJson);
    },
  })
  .meta({ id: "ForkNode" });

export const ForkTreeJson = z
  .object({
    origin: z.object({ iri: Url, name: z.string(), host: z.string(), licence: z.string() }).meta({ description: "The original design of the chain (this design when it is no fork)" }),
    forkOf: Url.nullable().meta({ description: "The release this design was forked from" }),
    chain: z.array(ForkLinkJson).meta({ description: "This design's chain back to the original, oldest first" }),
    forks: z.array(ForkNodeJson).meta({ description: "Forks of this design other nodes announced and this node accepted, as a tree" }),
  })
  .meta({ id: "ForkTree" });

function toForkNodeJson(node: ForkNode): ForkNodeJsonShape {
  const { iri, url, name, host, city, licence, depth, forkOf } = node;
  return { iri, url, name, host, city, licence, depth, forkOf, children: node.children.map(toForkNodeJson) };
}

function toForkTreeJson(tree: ForkTree): JsonOf<typeof ForkTreeJson> {
  return { origin: tree.origin, forkOf: tree.forkOf, chain: tree.chain, forks: tree.forks.map(toForkNodeJson) };
}

const TAG = ["designs"];

export const designForksOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/v1/designs/forks",
    operationId: "forkDesignRelease",
    tags: TAG,
    summary: "Fork a release of a design, here or on another node",
    description:
      "`source` is the release's URL (`https://city.example/@solar-dryer/releases/2.1.0`). This node fetches the release and its design (signed, with the same size, time and address limits as every fetch), " +
      "downloads every file within this node's caps and checks each against the SHA-256 the release declares, then creates a design of yours (`handle`, `name`: the source's when absent) whose first release is the same version, " +
      "with the chain back to the original, and announces the fork to every design of the chain. A share-alike licence stays the same; `licence` may differ only for other licences. " +
      "Nothing is created when any check fails.",
    auth: true,
    body: { schema: ForkRequestSchema },
    responses: {
      201: { description: "The new design, as GET /api/v1/designs/{handle} shows it", schema: DesignJson },
      401: error("Not signed in"),
      403: error("The source's host is blocked by this node's charter (the message names the rule)"),
      409: error("The handle is taken"),
      413: error("A file, or the release, is larger than this node's caps"),
      422: error("The source is not a release, could not be fetched, a file does not match its declared hash, or the charter's licences rule refuses its licence (the message says which)"),
    },
  },
  {
    method: "get",
    path: "/v1/designs/{handle}/forks",
    operationId: "getDesignForks",
    tags: TAG,
    summary: "The forks of a design, as a tree, with its origin",
    pathParams: z.object({ handle: z.string().meta({ description: "The design's handle" }) }),
    responses: { 200: { description: "The tree", schema: ForkTreeJson }, 404: error("No such design") },
  },
];
