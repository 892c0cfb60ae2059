import type { Context, DocumentLoader } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { z } from "zod";
import type { Peer } from "../../server/modules/peers/index.ts";
import { NODE_IDENTITY } from "../actors.ts";
import { HOPS_PROPERTY } from "../directory-publisher.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { fromDirectoryEntryJson } from "../translate/directory-entry.ts";
import type { DirectoryEntryDraft } from "../../server/modules/directory/directory-entry.schema.ts";
import { takeDirectEntries, takeForwardedEntry } from "./directory-intake.ts";

const logger = getLogger(["commonsnet", "directory", "backfill"]);

/** A peer's directory is read at most this many pages deep per backfill (100,000 entries at 100 a page). */
const MAX_PAGES = 1000;

const Link = z.union([z.string(), z.looseObject({ id: z.string() }).transform((o) => o.id)]);
const CollectionSchema = z.looseObject({ first: z.union([Link, z.looseObject({})]).optional() });
const PageSchema = z.looseObject({
  orderedItems: z.array(z.unknown()).max(1000).optional(),
  items: z.array(z.unknown()).max(1000).optional(),
  next: Link.optional(),
});
const Attachments = z.looseObject({
  attachment: z.union([z.array(z.unknown()), z.unknown()]).optional(),
});

/** The directory collection of a node actor: `<actor>/directory` (federation/uris.ts DIRECTORY_COLLECTION_PATH). */
export function directoryCollectionOf(actorIri: string): URL {
  return new URL(`${actorIri.replace(/\/$/, "")}/directory`);
}

/**
 * Reads a peer's directory collection page by page with GETs signed by our node actor, once the peer
 * accepted our Follow. Its own entries are taken as from the origin (the pages come from its host);
 * entries of other origins in it are verified at their origin like any forwarded entry, at the hop
 * count the item states (the peer's own plus one). Every page and document must stay on the peer's
 * host. Stops at the first page that cannot be read; entries already stored stay.
 */
export async function backfillFromPeer(ctx: Context<FederationDeps>, peer: Peer): Promise<number> {
  const loader = await ctx.getDocumentLoader(NODE_IDENTITY);
  let url: string | null = directoryCollectionOf(peer.actorIri).href;
  let items = 0;
  try {
    const collection = CollectionSchema.parse(await load(loader, url, peer));
    let page: unknown = collection.first;
    for (let n = 0; n < MAX_PAGES && page !== undefined; n++) {
      const body = typeof page === "string" ? await load(loader, (url = page), peer) : page;
      const parsed = PageSchema.parse(body);
      const pageItems = parsed.orderedItems ?? parsed.items ?? [];
      await takePage(ctx, peer, pageItems);
      items += pageItems.length;
      page = parsed.next;
    }
  } catch (error) {
    logger.warning("Backfill from {peer} stopped at {url}: {error}", { peer: peer.host, url, error });
  }
  logger.info("Backfilled {items} directory items from {peer}", { items, peer: peer.host });
  return items;
}

async function load(loader: DocumentLoader, url: string, peer: Peer): Promise<unknown> {
  if (new URL(url).host !== peer.host) throw new Error(`${url} is not on the peer's host ${peer.host}`);
  const { document, documentUrl } = await loader(url);
  if (new URL(documentUrl).host !== peer.host) throw new Error(`${url} redirected to another host (${documentUrl})`);
  return document;
}

/**
 * The peer's own entries on a page are stored together (one transaction); entries of other origins
 * are each fetched from their origin first.
 */
async function takePage(ctx: Context<FederationDeps>, peer: Peer, items: readonly unknown[]): Promise<void> {
  const own: DirectoryEntryDraft[] = [];
  for (const item of items) {
    const parsed = fromDirectoryEntryJson(item);
    const iri = parsed.success ? parsed.draft.iri : typeof (item as { id?: unknown })?.id === "string" ? (item as { id: string }).id : null;
    if (iri === null || !URL.canParse(iri)) {
      logger.info("Skipped a backfill item from {peer}: {error}", { peer: peer.host, error: parsed.success ? "no id" : parsed.error });
    } else if (new URL(iri).host === peer.host) {
      if (parsed.success) own.push(parsed.draft);
      else logger.info("Skipped backfill item {iri} from {peer}: {error}", { iri, peer: peer.host, error: parsed.error });
    } else {
      // Another origin's entry: only its IRI and the hop count are the peer's word; the rest is fetched.
      await takeForwardedEntry(ctx, peer, new URL(iri), hopsOf(item) ?? 2, "backfill");
    }
  }
  await takeDirectEntries(ctx, peer, own, "backfill");
}

/** The `hops` PropertyValue of a backfill item: the hop count at the receiver. */
export function hopsOf(json: unknown): number | undefined {
  const parsed = Attachments.safeParse(json);
  if (!parsed.success) return undefined;
  const attachments = [parsed.data.attachment ?? []].flat();
  for (const a of attachments) {
    if (a === null || typeof a !== "object") continue;
    const { name, value } = a as { name?: unknown; value?: unknown; "schema:value"?: unknown };
    const v = value ?? (a as Record<string, unknown>)["schema:value"] ?? (a as Record<string, unknown>)["http://schema.org#value"];
    if (name === HOPS_PROPERTY && (typeof v === "string" || typeof v === "number") && /^\d{1,2}$/.test(String(v))) return Number(v);
  }
  return undefined;
}
