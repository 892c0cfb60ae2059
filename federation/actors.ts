import type { Federation } from "@fedify/fedify";
import { findActorByHandle } from "../server/modules/actors/actor.repository.ts";
import { loadActorKeyPairs } from "../server/modules/actors/actor-keys.ts";
import { NODE_ACTOR_HANDLE } from "../server/modules/actors/handle.schema.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toNodeApplication } from "./translate/node-actor.ts";
import { ACTOR_PATH, OUTBOX_PATH, actorPagePath } from "./uris.ts";

/** Serves local actors at `/@{identifier}` with their keys; WebFinger resolves their handles. */
export function registerActors(federation: Federation<FederationDeps>): void {
  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const actor = await findActorByHandle(ctx.data.db, identifier);
      if (actor === undefined || actor.handle !== identifier) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      switch (actor.kind) {
        case "node":
          return toNodeApplication(
            actor,
            {
              id: ctx.getActorUri(identifier),
              url: new URL(actorPagePath(identifier), ctx.canonicalOrigin),
              inbox: ctx.getInboxUri(identifier),
              outbox: ctx.getOutboxUri(identifier),
              sharedInbox: ctx.getInboxUri(),
            },
            keys,
          );
        default:
          // Members and projects get their actor documents with their own issue.
          return null;
      }
    })
    .mapHandle(async (ctx, username) => {
      const actor = await findActorByHandle(ctx.data.db, username);
      return actor?.handle ?? null;
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      const actor = await findActorByHandle(ctx.data.db, identifier);
      if (actor === undefined) return [];
      return await loadActorKeyPairs(ctx.data.db, ctx.data.box, actor.id);
    });

  // Every actor names an outbox; nothing is listed in it yet.
  federation
    .setOutboxDispatcher(OUTBOX_PATH, async (ctx, identifier) => {
      const actor = await findActorByHandle(ctx.data.db, identifier);
      return actor === undefined ? null : { items: [] };
    })
    .setCounter(async (ctx, identifier) => ((await findActorByHandle(ctx.data.db, identifier)) === undefined ? null : 0));
}

/** The identifier whose key signs fetches made on the node's behalf (authorized-fetch peers). */
export const NODE_IDENTITY = { identifier: NODE_ACTOR_HANDLE } as const;
