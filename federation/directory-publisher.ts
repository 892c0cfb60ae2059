import type { Context } from "@fedify/fedify";
import { type Activity, Announce, Create, Delete, PropertyValue, Tombstone, Update } from "@fedify/vocab";
import type { DbOrTrx } from "../server/db/database.ts";
import { uuidv7 } from "../server/platform/ids.ts";
import { NODE_ACTOR_HANDLE } from "../server/modules/actors/handle.schema.ts";
import type { DirectoryEntry } from "../server/modules/directory/directory-entry.ts";
import { publishedLicenceRefusal } from "../server/modules/directory/index.ts";
import type { DirectoryChange } from "../server/modules/directory/local-entries.ts";
import type { ActivityDraft, OutboxRecipient } from "../server/modules/outbox/index.ts";
import { listFollowingPeers } from "../server/modules/peers/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toDirectoryEntryPage } from "./translate/directory-entry.ts";
import { directoryActivityPath, TAGS_PATH_PREFIX } from "./uris.ts";

/** The `PropertyValue` an Announce (or a backfill item) carries: the hop count at the receiver. */
export const HOPS_PROPERTY = "hops";

/**
 * Directory activities of the node actor, as outbox drafts. Our own entries go to its followers (the
 * peers that follow our node actor): `Create`/`Update` of the entry's `Page`, `Delete` of its IRI.
 * Entries received from peers are forwarded by `Announce` of the IRI alone, with the receiver's hop
 * count; the receiver fetches the entry from its origin (docs/security.md#origins, ORI-13). Activities about
 * one entry are delivered in order (ordering key = the entry's IRI).
 */
export function createDirectoryPublisher(ctx: Context<FederationDeps>) {
  const nodeActor = ctx.getActorUri(NODE_ACTOR_HANDLE);
  const followers = ctx.getFollowersUri(NODE_ACTOR_HANDLE);
  const tagBase = new URL(TAGS_PATH_PREFIX, ctx.canonicalOrigin);
  const id = (kind: "creates" | "updates" | "deletes" | "announces") => new URL(directoryActivityPath(NODE_ACTOR_HANDLE, kind, uuidv7()), ctx.canonicalOrigin);
  const compact = async (activity: Activity) => (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;

  return {
    /**
     * What peers must hear of a change to one of our own entries (syncLocalEntry's result), read in
     * the change's transaction. Without peers there is no one to tell (a new peer backfills).
     */
    async changed(change: DirectoryChange, trx: DbOrTrx): Promise<ActivityDraft[]> {
      if ((await listFollowingPeers(trx)).length === 0) return [];
      let activity: Activity;
      // A design whose licence our charter does not accept is not sent; peers that had it drop it.
      const refused = change.kind === "upsert" ? await publishedLicenceRefusal(trx, change.entry) : null;
      if (change.kind === "remove" || refused !== null) {
        const iri = change.kind === "remove" ? change.iri : change.entry.iri;
        activity = new Delete({ id: id("deletes"), actor: nodeActor, to: followers, object: new Tombstone({ id: new URL(iri) }) });
      } else {
        const values = { actor: nodeActor, to: followers, object: toDirectoryEntryPage(change.entry, { tagBase }) };
        activity = change.created ? new Create({ id: id("creates"), ...values }) : new Update({ id: id("updates"), ...values });
      }
      const iri = change.kind === "remove" ? change.iri : change.entry.iri;
      return [{ sender: NODE_ACTOR_HANDLE, recipients: "followers", activity: await compact(activity), orderingKey: iri }];
    },

    /** An `Announce` of a received entry (or of its removal) to other peers, who hold it at `hops`. */
    async forward(entry: Pick<DirectoryEntry, "iri">, recipients: readonly OutboxRecipient[], hops: number): Promise<ActivityDraft> {
      const announce = new Announce({
        id: id("announces"),
        actor: nodeActor,
        tos: recipients.map((r) => new URL(r.id)),
        object: new URL(entry.iri),
        attachments: [new PropertyValue({ name: HOPS_PROPERTY, value: String(hops) })],
      });
      return { sender: NODE_ACTOR_HANDLE, recipients, activity: await compact(announce), orderingKey: entry.iri };
    },
  };
}

export type DirectoryPublisher = ReturnType<typeof createDirectoryPublisher>;
