import type { Context } from "@fedify/fedify";
import { type DesignListingPort, loadDesignWithLatestRelease } from "../server/modules/designs/index.ts";
import type { DbOrTrx } from "../server/db/database.ts";
import { type MadeSummary, syncDesignEntry, syncDesignMade } from "../server/modules/directory/index.ts";
import type { EmitActivity } from "../server/modules/outbox/index.ts";
import { createDirectoryPublisher } from "./directory-publisher.ts";
import type { FederationDeps } from "./federation-deps.ts";

/**
 * The designs' listing port (docs/designs.md#directory): inside each design change's transaction,
 * the design's directory entry (kind `design`: licence, latest version) is brought in line through the
 * directory's `syncDesignEntry`, and what changed goes to this node's peers from the node actor, as a
 * project's entry does. The builds (made-here) are kept as the directory has them.
 */
export function createDesignListingPort(ctx: Context<FederationDeps>, publicUrl: URL): DesignListingPort & DesignMadeListingPort {
  const directory = createDirectoryPublisher(ctx);
  return {
    async changed(trx, design, emit) {
      const loaded = await loadDesignWithLatestRelease(trx, publicUrl, design.actorId);
      const listing = loaded && {
        actorId: loaded.design.actorId,
        handle: loaded.design.handle,
        name: loaded.design.name,
        summaryHtml: loaded.design.summaryHtml,
        tags: loaded.design.tags,
        licence: loaded.design.licence,
        latestVersion: loaded.latest?.version ?? null,
        projectHandle: loaded.design.project?.handle ?? null,
        listed: loaded.design.listed,
      };
      const change = await syncDesignEntry(trx, publicUrl, design.actorId, listing);
      if (change === null) return;
      for (const draft of await directory.changed(change, trx)) await emit(draft);
    },
    async madeChanged(trx, design, made, emit) {
      const change = await syncDesignMade(trx, publicUrl, design.actorId, design.handle, made);
      if (change === null) return;
      for (const draft of await directory.changed(change, trx)) await emit(draft);
    },
  };
}

/**
 * For made-here reports: a local design's builds changed (its whole count and places, oldest first;
 * the directory keeps the newest 500). Call it in the report's transaction; an unlisted design is
 * left alone.
 */
export interface DesignMadeListingPort {
  madeChanged(trx: DbOrTrx, design: { readonly actorId: number; readonly handle: string }, made: MadeSummary, emit: EmitActivity): Promise<void>;
}
