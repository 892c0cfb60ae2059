/** The design-forks module's entry: forks of our designs made on other nodes, and forking theirs. */
import type { Db } from "../../db/database.ts";
import type { DesignFilesService } from "../design-files/index.ts";
import { notFound } from "../../platform/errors.ts";
import type { CharterService } from "../charter/index.ts";
import { countForksOf, countForksOfAll, listForksOf } from "./design-fork.repository.ts";
import type { ForkClaim } from "./design-fork.schema.ts";
import type { ForkNetworkPort } from "./designs-port.ts";
import type { DesignsService, DesignView } from "../designs/index.ts";
import { forkRemoteRelease } from "./fork-import.ts";
import { type IntakeOutcome, receiveFork } from "./fork-intake.ts";
import { buildForkTree, type ForkTree } from "./fork-tree.ts";

export type { ForkRecord } from "./design-fork.repository.ts";
export { type ForkClaim, ForkRequestSchema, MAX_CHAIN_LINKS, type RemoteDesign, RemoteDesignSchema, type RemoteFile, type RemoteRelease, RemoteReleaseSchema } from "./design-fork.schema.ts";
export type { ForkAnswer, ForkNetworkPort, LocalFork } from "./designs-port.ts";
export type { IntakeOutcome } from "./fork-intake.ts";
export type { ForkNode, ForkOrigin, ForkTree } from "./fork-tree.ts";
export { charterLicenceRefusal } from "./licence-rule.ts";
export { nodeCity } from "./node-city.ts";

/**
 * The forks count the designs service shows (its `DesignCounts.forksOf`), made before either
 * service: it needs only the database, and the design-forks service needs the designs service.
 */
export function forksCountOf(db: Db): (design: { readonly actorId: number }) => Promise<number> {
  return (design) => countForksOf(db, design.actorId);
}

/** What the design-forks service is made with, once, when the node starts. */
export interface DesignForksServiceDeps {
  readonly db: Db;
  readonly designs: DesignsService;
  readonly charter: CharterService;
  /** Fetched files are stored as uploads are (names, types, SVG checks, previews). */
  readonly files: DesignFilesService;
  /** The network side (federation/design-forks/): fetching, downloading, and the activities' drafts. */
  readonly network: ForkNetworkPort;
  /** Whether a licence binds forks to itself (the designs module knows the share-alike licences). */
  readonly isShareAlike: (licence: string) => boolean;
  readonly cityOf: (host: string) => Promise<string | null>;
  readonly fileMaxBytes: number;
  readonly releaseMaxBytes: number;
}

/**
 * The one entry to forks across nodes: forking a release of another node (POST
 * /api/v1/designs/forks), recording the forks other nodes announce of ours (the inbox), and the
 * forks tree and collection of a design. It writes design_forks only; designs are created through
 * the designs service.
 */
export function createDesignForksService(deps: DesignForksServiceDeps) {
  const { db, designs } = deps;
  const requireDesign = async (handle: string): Promise<DesignView> => {
    const design = await designs.find(handle);
    if (design === undefined) throw notFound(`No design @${handle} on this node.`);
    return design;
  };
  return {
    /** Forks the release at `body.source` into a new local design; 403/422 name the rule refused. */
    fork: (memberActorId: number, body: unknown): Promise<DesignView> => forkRemoteRelease(deps, memberActorId, body),
    /** Records (or refuses) a verified fork announcement from another node, and answers it. */
    receive: (claim: ForkClaim): Promise<IntakeOutcome> => receiveFork(deps, claim),
    /** How many forks of a design this node knows of, at any depth (the design's forksCount). */
    count: (designActorId: number): Promise<number> => countForksOf(db, designActorId),
    countAll: (designActorIds: readonly number[]): Promise<Map<number, number>> => countForksOfAll(db, designActorIds),
    /** The tree of a design's forks, with its own chain back to the original; 404 for no such design. */
    async tree(handle: string): Promise<ForkTree> {
      const design = await requireDesign(handle);
      return buildForkTree(design, await listForksOf(db, design.actorId));
    },
    /** The IRIs of a design's forks, shallowest first (its `forks` collection); undefined for no such design. */
    async forkIris(handle: string): Promise<string[] | undefined> {
      const design = await designs.find(handle);
      if (design === undefined) return undefined;
      return (await listForksOf(db, design.actorId)).map((f) => f.forkDesignIri);
    },
  };
}

export type DesignForksService = ReturnType<typeof createDesignForksService>;
