import type { Config } from "../../platform/config.ts";
import type { Db } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { type Actor, findNodeActor, insertActor, updateActorProfile } from "../actors/index.ts";
import { ensureActorKeys } from "../actors/actor-keys.ts";
import { NODE_ACTOR_HANDLE } from "../actors/handle.schema.ts";

/** Raised when this process's secret is not the one the database's keys were sealed with. */
export class SecretMismatchError extends Error {
  constructor() {
    super(
      "This database was initialised with a different node secret. Every process of a node must use the same " +
        "SECRET_KEY (or share DATA_DIR/secret); otherwise it cannot sign for the node's actors.",
    );
    this.name = "SecretMismatchError";
  }
}

/**
 * Makes sure the node's own actor exists with its keys, and that its name and description follow
 * NODE_NAME / NODE_DESCRIPTION. Safe to run from several processes at once.
 */
export async function ensureNodeIdentity(db: Db, box: SecretBox, config: Pick<Config, "nodeName" | "nodeDescription">): Promise<Actor> {
  await checkSecretFingerprint(db, box);
  let actor = await findNodeActor(db);
  if (actor === undefined) {
    await insertActor(db, { handle: NODE_ACTOR_HANDLE, kind: "node", name: config.nodeName, summary: config.nodeDescription });
    actor = await findNodeActor(db);
    if (actor === undefined) throw new Error("The node actor could not be created");
  } else if (actor.name !== config.nodeName || actor.summary !== config.nodeDescription) {
    await updateActorProfile(db, actor.id, { name: config.nodeName, summary: config.nodeDescription });
    actor = { ...actor, name: config.nodeName, summary: config.nodeDescription };
  }
  await ensureActorKeys(db, box, actor.id);
  return actor;
}

/** Also used by the command line, which must not seal keys with a secret the node does not have. */
export async function checkSecretFingerprint(db: Db, box: SecretBox): Promise<void> {
  await db
    .insertInto("node_meta")
    .values({ key: "secret_fingerprint", value: jsonb(box.fingerprint) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db.selectFrom("node_meta").select("value").where("key", "=", "secret_fingerprint").executeTakeFirstOrThrow();
  if (row.value !== box.fingerprint) throw new SecretMismatchError();
}
