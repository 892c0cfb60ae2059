import type { Federation } from "@fedify/fedify";
import { Page, PropertyValue } from "@fedify/vocab";
import { NODE_ACTOR_HANDLE } from "../server/modules/actors/handle.schema.ts";
import type { DirectoryEntry } from "../server/modules/directory/directory-entry.ts";
import { HOPS_PROPERTY } from "./directory-publisher.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toDirectoryEntryPage } from "./translate/directory-entry.ts";
import { DIRECTORY_COLLECTION_PATH, TAGS_PATH_PREFIX } from "./uris.ts";

/** Entries per page of the directory collection. */
export const DIRECTORY_PAGE_SIZE = 100;

/**
 * The node actor's directory (`/@node/directory`): what a peer backfills when it connects. A paged
 * OrderedCollection of entry `Page`s: ours, and the ones we received and may forward (each keeps its
 * origin in `attributedTo`, and carries a `hops` PropertyValue: the hop count at the reader, which
 * verifies such entries at their origin). Public, like the entries themselves. Other actors have none.
 */
export function registerDirectoryCollection(federation: Federation<FederationDeps>): void {
  federation
    .setOrderedCollectionDispatcher("directory", Page, DIRECTORY_COLLECTION_PATH, async (ctx, values, cursor) => {
      if (values.identifier !== NODE_ACTOR_HANDLE || cursor === null) return null;
      const afterId = /^\d{1,15}$/.test(cursor) ? Number(cursor) : null;
      if (afterId === null) return null;
      const entries = await ctx.data.services.directory.backfillPage({ afterId, limit: DIRECTORY_PAGE_SIZE + 1 });
      const page = entries.slice(0, DIRECTORY_PAGE_SIZE);
      const tagBase = new URL(TAGS_PATH_PREFIX, ctx.canonicalOrigin);
      return {
        items: await Promise.all(page.map((entry) => toCollectionItem(entry, tagBase))),
        nextCursor: entries.length > DIRECTORY_PAGE_SIZE ? String(page[page.length - 1]!.id) : null,
        prevCursor: null,
      };
    })
    .setFirstCursor((_ctx, values) => (values.identifier === NODE_ACTOR_HANDLE ? "0" : null))
    .setCounter(async (ctx, values) => {
      if (values.identifier !== NODE_ACTOR_HANDLE) return null;
      return await ctx.data.services.directory.backfillCount();
    });
}

async function toCollectionItem(entry: DirectoryEntry, tagBase: URL): Promise<Page> {
  const page = toDirectoryEntryPage(entry, { tagBase });
  if (entry.localActorId !== null) return page;
  // Embedded attachments: iterating them fetches nothing.
  const attachments = [];
  for await (const attachment of page.getAttachments()) attachments.push(attachment);
  return page.clone({ attachments: [...attachments, new PropertyValue({ name: HOPS_PROPERTY, value: String(entry.hops + 1) })] });
}
