/** The node module's entry: the node's own identity and the figures it reports about itself. */
import type { Db } from "../../db/database.ts";
import type { Config } from "../../platform/config.ts";
import { type Actor, countActorsByKind, findNodeActor } from "../actors/index.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { checkDatabase, type DatabaseHealth } from "./database-health.ts";
import { checkSecretFingerprint, ensureNodeIdentity } from "./node-identity.ts";
import { type NodeUsage, nodeUsage } from "./node-usage.ts";

export type { DatabaseHealth } from "./database-health.ts";
export type { NodeUsage } from "./node-usage.ts";
export { SecretMismatchError } from "./node-identity.ts";
// For callers that run before the services exist or without them: the node's start and NodeInfo in federation/.
export { ensureNodeIdentity, nodeUsage };

/** What the node service is made with, once, when the node starts. */
export interface NodeServiceDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly config: Pick<Config, "nodeName" | "nodeDescription">;
}

export function createNodeService(deps: NodeServiceDeps) {
  const { db, box, config } = deps;
  return {
    /** The node's actor with its keys, named after NODE_NAME; refuses a secret the database was not sealed with. */
    ensureIdentity: () => ensureNodeIdentity(db, box, config),
    /** For the command line, which must not seal keys with a secret the node does not have. */
    checkSecret: (): Promise<void> => checkSecretFingerprint(db, box),
    /** Accounts active now, this month and this half-year, as NodeInfo reports them. */
    usage: (): Promise<NodeUsage> => nodeUsage(db),
    databaseHealth: (timeoutMs?: number): Promise<DatabaseHealth> => checkDatabase(db, timeoutMs),
    /** What the front page says of the node: its actor (absent until the first start made it) and its member count. */
    async about(): Promise<{ actor: Actor | undefined; memberCount: number }> {
      const [actor, memberCount] = await Promise.all([findNodeActor(db), countActorsByKind(db, "person")]);
      return { actor, memberCount };
    },
  };
}

export type NodeService = ReturnType<typeof createNodeService>;
