import type { Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import type { Follower } from "../server/modules/followers/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { findPublicActor } from "./public-actor.ts";
import { FOLLOWERS_PATH } from "./uris.ts";

/** Items per page of a followers collection (Mastodon pages its own by 40, too). */
export const FOLLOWERS_PAGE_SIZE = 40;

/** A follower as Fedify addresses it: its inbox, and its server's shared inbox when it has one. */
export function toRecipient(follower: Follower): Recipient {
  return {
    id: new URL(follower.iri),
    inboxId: new URL(follower.inbox),
    endpoints: follower.sharedInbox === null ? null : { sharedInbox: new URL(follower.sharedInbox) },
  };
}

/**
 * The followers collection of every local actor. Over HTTP it is an OrderedCollection with
 * `totalItems` and a `first` page; pages hold follower IRIs, 40 at a time, with an opaque cursor (the
 * last row id). A null cursor (Context.getFollowers; never over HTTP, as a first cursor is set)
 * returns every follower with its inboxes; our own deliveries resolve followers in the outbox relay
 * (federation/outbox-recipients.ts), which also applies the charter.
 */
export function registerFollowers(federation: Federation<FederationDeps>): void {
  federation
    .setFollowersDispatcher(FOLLOWERS_PATH, async (ctx, identifier, cursor) => {
      const actor = await findPublicActor(ctx.data.services, identifier);
      if (actor === undefined) return null;
      if (cursor === null) return { items: (await ctx.data.services.followers.all({ actorId: actor.id })).map(toRecipient) };
      const afterId = parseCursor(cursor);
      if (afterId === null) return null;
      const page = await ctx.data.services.followers.pageItems({ actorId: actor.id }, { afterId, limit: FOLLOWERS_PAGE_SIZE });
      return {
        items: page.items.map(toRecipient),
        nextCursor: page.nextAfterId === null ? null : String(page.nextAfterId),
        prevCursor: null,
      };
    })
    .setFirstCursor(async (ctx, identifier) => ((await findPublicActor(ctx.data.services, identifier)) === undefined ? null : "0"))
    .setCounter(async (ctx, identifier) => {
      const actor = await findPublicActor(ctx.data.services, identifier);
      return actor === undefined ? null : await ctx.data.services.followers.count({ actorId: actor.id });
    });
}

function parseCursor(cursor: string): number | null {
  return /^\d{1,15}$/.test(cursor) ? Number(cursor) : null;
}
