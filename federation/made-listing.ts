import type { Context } from "@fedify/fedify";
import { syncDesignMade } from "../server/modules/directory/index.ts";
import type { MadeDirectoryPort } from "../server/modules/made-reports/index.ts";
import { createDirectoryPublisher } from "./directory-publisher.ts";
import type { FederationDeps } from "./federation-deps.ts";

/**
 * The made-here reports' directory port (docs/made-here.md): inside a report's transaction, the
 * design's directory entry takes its new build count and places through the directory's
 * `syncDesignMade` (an unlisted design has no entry, and nothing changes), and what changed goes to
 * this node's peers from the node actor, as any local entry does.
 */
export function createMadeListingPort(ctx: Context<FederationDeps>, publicUrl: URL): MadeDirectoryPort {
  const directory = createDirectoryPublisher(ctx);
  return {
    async changed(trx, design, made, emit) {
      const change = await syncDesignMade(trx, publicUrl, design.actorId, design.handle, { count: made.count, points: [...made.points] });
      if (change === null) return;
      for (const draft of await directory.changed(change, trx)) await emit(draft);
    },
  };
}
