import type { Federation } from "@fedify/fedify";
import { loadActorKeyPairs } from "../server/modules/actors/actor-keys.ts";
import { NODE_ACTOR_HANDLE } from "../server/modules/actors/handle.schema.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { personUris } from "./person.ts";
import { findPublicActor } from "./public-actor.ts";
import { projectOutboxCount, projectOutboxFirstCursor, projectOutboxPage } from "./project-collections.ts";
import { buildProjectGroup } from "./projects.ts";
import { buildDesignService, designOutboxItems } from "./designs.ts";
import { toNodeApplication } from "./translate/node-actor.ts";
import { toPersonActor } from "./translate/person.ts";
import { ACTOR_PATH, CHARTER_PATH, OUTBOX_PATH, actorPagePath } from "./uris.ts";

/** Serves local actors at `/@{identifier}` with their keys; WebFinger resolves their handles. */
export function registerActors(federation: Federation<FederationDeps>): void {
  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const actor = await ctx.data.services.actors.byHandle(identifier);
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
              followers: ctx.getFollowersUri(identifier),
              featured: ctx.getFeaturedUri(identifier),
              sharedInbox: ctx.getInboxUri(),
              charter: new URL(CHARTER_PATH, ctx.canonicalOrigin),
            },
            keys,
          );
        case "person": {
          // A member pending approval (or disabled) has no public actor.
          const profile = await ctx.data.services.accounts.profileByHandle(identifier);
          return profile?.status === "active" ? toPersonActor(profile, personUris(ctx, profile), keys) : null;
        }
        case "group": {
          const project = await ctx.data.services.projects.find(identifier);
          return project === undefined ? null : await buildProjectGroup(ctx, project);
        }
        case "service": {
          const design = await ctx.data.services.designs.find(identifier);
          return design === undefined ? null : await buildDesignService(ctx, design);
        }
        default:
          return null;
      }
    })
    .mapHandle(async (ctx, username) => {
      const actor = await ctx.data.services.actors.byHandle(username);
      if (actor?.kind === "person") {
        // WebFinger must not reveal members whose actor is not public (pending or disabled).
        const profile = await ctx.data.services.accounts.profileByHandle(actor.handle);
        return profile?.status === "active" ? actor.handle : null;
      }
      return actor?.handle ?? null;
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      const actor = await ctx.data.services.actors.byHandle(identifier);
      if (actor === undefined) return [];
      return await loadActorKeyPairs(ctx.data.db, ctx.data.box, actor.id);
    });

  // Every actor names an outbox; a project's lists the Create of each update (paged), others are empty.
  federation
    .setOutboxDispatcher(OUTBOX_PATH, async (ctx, identifier, cursor) => {
      const actor = await findPublicActor(ctx.data.services, identifier);
      if (actor?.kind === "group") return await projectOutboxPage(ctx, identifier, cursor);
      if (actor?.kind === "service") return { items: (await designOutboxItems(ctx, identifier)) ?? [] };
      return actor === undefined ? null : { items: [] };
    })
    .setFirstCursor(projectOutboxFirstCursor)
    .setCounter(async (ctx, identifier) => {
      const actor = await findPublicActor(ctx.data.services, identifier);
      if (actor?.kind === "group") return await projectOutboxCount(ctx, identifier);
      if (actor?.kind === "service") return (await ctx.data.services.designs.releases(identifier)).length;
      return actor === undefined ? null : 0;
    });
}

/** The identifier whose key signs fetches made on the node's behalf (authorized-fetch peers). */
export const NODE_IDENTITY = { identifier: NODE_ACTOR_HANDLE } as const;
