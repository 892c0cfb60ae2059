import type { Federation } from "@fedify/fedify";
import { SOFTWARE_VERSION } from "../server/platform/version.ts";
import { NODE_IDENTITY } from "./actors.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { CHARTER_PATH, NODEINFO_PATH } from "./uris.ts";

/**
 * NodeInfo 2.1 (https://nodeinfo.diaspora.software/protocol); Fedify links it from
 * /.well-known/nodeinfo. `metadata.nodeActor` lets another node find our node actor from our address
 * alone, which connecting nodes relies on.
 */
export function registerNodeInfo(federation: Federation<FederationDeps>): void {
  federation.setNodeInfoDispatcher(NODEINFO_PATH, async (ctx) => {
    const usage = await ctx.data.services.node.usage();
    const { config } = ctx.data;
    const charter = await ctx.data.services.charter.current();
    return {
      software: {
        name: "commonsnet",
        version: SOFTWARE_VERSION,
        homepage: new URL("/", ctx.canonicalOrigin),
      },
      protocols: ["activitypub"],
      services: { inbound: [], outbound: [] },
      openRegistrations: charter.document.registration === "open",
      usage: {
        users: { total: usage.users, activeMonth: usage.activeMonth, activeHalfyear: usage.activeHalfyear },
        localPosts: usage.localPosts,
        localComments: 0,
      },
      metadata: {
        nodeName: config.nodeName,
        nodeDescription: config.nodeDescription,
        nodeActor: ctx.getActorUri(NODE_IDENTITY.identifier).href,
        registration: charter.document.registration,
        // The node's rules (modules/charter): the current version's stable URL and its number.
        charter: new URL(CHARTER_PATH, ctx.canonicalOrigin).href,
        charterVersion: charter.version,
      },
    };
  });
}
