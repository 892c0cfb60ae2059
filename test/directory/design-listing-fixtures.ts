import { createDirectoryPublisher } from "../../federation/directory-publisher.ts";
import type { NodeServices } from "../../server/app/node.ts";
import type { Db } from "../../server/db/database.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { type DesignListing, type MadeSummary, syncDesignEntry, syncDesignMade } from "../../server/modules/directory/index.ts";
import { commitWithActivities } from "../../server/modules/outbox/index.ts";

/** The fields of a design listing a test cares about; the rest get plain defaults. */
export type DesignListingFields = Partial<Omit<DesignListing, "actorId" | "handle">> & { readonly licence: string };

/**
 * A design's directory entry kept in step the way the designs module does it: in one transaction
 * with the change, and the directory publisher's activities for the node's peers in the outbox.
 * `actorId` of an existing design actor, or a new `service` actor for `handle`.
 */
export async function listDesign(node: Pick<NodeServices, "federation" | "deps">, db: Db, publicUrl: URL, handle: string, fields: DesignListingFields): Promise<number> {
  const existing = await db.selectFrom("actors").select("id").where("handle", "=", handle).executeTakeFirst();
  const actorId = existing?.id ?? (await insertActor(db, { handle, kind: "service", name: fields.name ?? handle, summary: "" }))!.id;
  const listing: DesignListing = { actorId, handle, name: handle, summaryHtml: "", tags: [], latestVersion: null, location: null, listed: true, ...fields };
  const publisher = createDirectoryPublisher(node.federation.createContext(publicUrl, node.deps));
  await commitWithActivities(db, async (trx, emit) => {
    const change = await syncDesignEntry(trx, publicUrl, actorId, listing);
    if (change !== null) for (const draft of await publisher.changed(change, trx)) await emit(draft);
  });
  return actorId;
}

/** New builds of a listed design, as the made-here module's directory port hands them over (`syncDesignMade`). */
export async function reportMade(node: Pick<NodeServices, "federation" | "deps">, db: Db, publicUrl: URL, handle: string, made: MadeSummary): Promise<void> {
  const actor = await db.selectFrom("actors").select("id").where("handle", "=", handle).executeTakeFirstOrThrow();
  const publisher = createDirectoryPublisher(node.federation.createContext(publicUrl, node.deps));
  await commitWithActivities(db, async (trx, emit) => {
    const change = await syncDesignMade(trx, publicUrl, actor.id, handle, made);
    if (change !== null) for (const draft of await publisher.changed(change, trx)) await emit(draft);
  });
}
