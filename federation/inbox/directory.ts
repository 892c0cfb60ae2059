import type { InboxContext } from "@fedify/fedify";
import { type Activity, type Announce, type Create, type Delete, type Object as APObject, PropertyValue, type Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Peer } from "../../server/modules/peers/index.ts";
import { NODE_IDENTITY } from "../actors.ts";
import { HOPS_PROPERTY } from "../directory-publisher.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { removeEntryAtOrigin, takeDirectEntry, takeForwardedEntry } from "../peering/directory-intake.ts";
import { fromDirectoryEntryJson } from "../translate/directory-entry.ts";
import { guardActivity } from "./guards.ts";

const logger = getLogger(["commonsnet", "inbox", "directory"]);

/**
 * Directory traffic between nodes, from a peer's node actor (federation/inbox/targets.ts decides it
 * is): `Create`/`Update` of an entry `Page`, `Delete` of an entry IRI, or `Announce` of a forwarded
 * entry IRI. Entries are taken only from peers whose directory we follow; removals from any peer.
 */
export async function onDirectoryEntry(ctx: InboxContext<FederationDeps>, activity: Create | Update, peer: Peer): Promise<void> {
  const admitted = admit(activity, peer, { followed: true });
  if (admitted !== null) await onEntryPage(ctx, peer, activity, admitted.objectId, admitted.label);
}

export async function onDirectoryDelete(ctx: InboxContext<FederationDeps>, del: Delete, peer: Peer): Promise<void> {
  const admitted = admit(del, peer, { followed: false });
  if (admitted !== null) await onEntryDelete(ctx, peer, admitted.objectId, admitted.label);
}

export async function onDirectoryAnnounce(ctx: InboxContext<FederationDeps>, announce: Announce, peer: Peer): Promise<void> {
  const admitted = admit(announce, peer, { followed: true });
  if (admitted !== null) await onEntryAnnounce(ctx, peer, announce, admitted.objectId, admitted.label);
}

/** The guards every directory activity passes, and the label its log lines carry; null (logged) to ignore. */
function admit(activity: Activity, peer: Peer, { followed }: { followed: boolean }): { objectId: URL; label: string } | null {
  const guarded = guardActivity(activity, logger);
  const objectId = activity.objectId;
  if (guarded === null || objectId === null) return null;
  const label = `${activity.constructor.name} ${guarded.id.href}`;
  if (followed && peer.weFollow !== "accepted") {
    logger.info("Ignored {label}: we do not follow {peer}'s directory", { label, peer: peer.host });
    return null;
  }
  return { objectId, label };
}

/** The origin's own entry, embedded: stored at hop 1 when it really is the sender's. */
async function onEntryPage(ctx: InboxContext<FederationDeps>, peer: Peer, activity: Activity, objectId: URL, label: string): Promise<void> {
  if (objectId.host !== peer.host) {
    logger.warning("Refused {label}: the entry {iri} is not on the sender's host {peer} (a forged origin)", { label, iri: objectId.href, peer: peer.host });
    return;
  }
  let object: APObject | null;
  try {
    object = await activity.getObject({ documentLoader: await ctx.getDocumentLoader(NODE_IDENTITY), contextLoader: ctx.contextLoader });
  } catch (error) {
    logger.info("Ignored {label}: its entry could not be loaded: {error}", { label, error });
    return;
  }
  if (object === null || object.id?.href !== objectId.href) {
    logger.info("Ignored {label}: no entry in it", { label });
    return;
  }
  const parsed = fromDirectoryEntryJson(await object.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader }));
  if (!parsed.success) {
    logger.warning("Refused {label}: {error}", { label, error: parsed.error });
    return;
  }
  await takeDirectEntry(ctx, peer, parsed.draft, label);
}

/** Only an entry's origin removes it (docs/security.md#origins, ORI-02); the removal travels on. */
async function onEntryDelete(ctx: InboxContext<FederationDeps>, peer: Peer, iri: URL, label: string): Promise<void> {
  if (iri.host !== peer.host) {
    logger.warning("Refused {label}: {peer} is not the origin of {iri}", { label, peer: peer.host, iri: iri.href });
    return;
  }
  const removed = await removeEntryAtOrigin(ctx, iri, peer);
  logger.info("{label}: entry {iri} {outcome}", { label, iri: iri.href, outcome: removed ? "removed" : "was not stored" });
}

/** A forwarded entry: only its IRI and hop count are the forwarder's word; the entry is fetched from its origin. */
async function onEntryAnnounce(ctx: InboxContext<FederationDeps>, peer: Peer, announce: Announce, iri: URL, label: string): Promise<void> {
  let hops: number | undefined;
  for await (const attachment of announce.getAttachments({ suppressError: true })) {
    if (attachment instanceof PropertyValue && attachment.name?.toString() === HOPS_PROPERTY && /^\d{1,2}$/.test(String(attachment.value))) {
      hops = Number(String(attachment.value));
    }
  }
  await takeForwardedEntry(ctx, peer, iri, hops ?? 2, label);
}
