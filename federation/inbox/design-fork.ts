import type { InboxContext } from "@fedify/fedify";
import type { Create } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { RemoteDesign } from "../../server/modules/design-forks/index.ts";
import { createForkNetworkPort } from "../design-fork-network.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { guardActivity } from "./guards.ts";

const logger = getLogger(["commonsnet", "inbox", "design-fork"]);

/**
 * Another node announces a fork of one of our designs (or of a fork of one). Nothing in the
 * activity is believed: the fork design must be on the sender's host (a node cannot claim a fork it
 * did not make), its own document is fetched from there and must name the release it was forked from
 * and the chain back to the original, and every link of that chain made on a third node is checked
 * against that node's own document (it names the link before it). Our own links are checked by the
 * design-forks service against our releases. Anything else is ignored with a log line.
 */
export async function onDesignFork(ctx: InboxContext<FederationDeps>, create: Create): Promise<void> {
  const guarded = guardActivity(create, logger);
  if (guarded === null) return;
  const objectId = create.objectId;
  if (objectId === null || objectId.host !== guarded.actor.host) {
    logger.warning("Ignored fork announcement {id}: its design {object} is not on its actor's host", { id: guarded.id.href, object: objectId?.href });
    return;
  }
  const network = createForkNetworkPort(ctx);
  let fork: RemoteDesign;
  try {
    fork = await network.loadDesign(objectId.href);
  } catch (error) {
    logger.warning("Ignored fork announcement {id}: {error}", { id: guarded.id.href, error: (error as Error).message });
    return;
  }
  const mismatch = await network.chainProblem(fork);
  if (mismatch !== null) {
    logger.warning("Ignored fork announcement {id}: {reason}", { id: guarded.id.href, reason: mismatch });
    return;
  }
  const result = await ctx.data.services.designForks.receive({ activityIri: guarded.id.href, fork });
  if (result.outcome === "ignored") logger.warning("Ignored fork announcement {id}: {reason}", { id: guarded.id.href, reason: result.reason });
  else logger.info("Fork {fork} recorded for {recorded}, refused for {refused}", { fork: fork.iri, recorded: result.recorded, refused: result.refused });
}
