import type { Context } from "@fedify/fedify";
import { DomainError } from "../../server/platform/errors.ts";
import type { NodeResolver } from "../../server/modules/peers/index.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { NodeDiscoveryError } from "./node-discovery.ts";
import { resolveNodeAt } from "./peering-port.ts";

/**
 * How the peers service finds the node at an address an admin typed: through its NodeInfo and actor,
 * a failure being a 422 on `url` that says why. The context only lends the node actor's key for the
 * signed fetch and the node's fixed origin, so one made at PUBLIC_URL serves every request.
 */
export function createNodeResolver(ctx: Context<FederationDeps>): NodeResolver {
  return async (address) => {
    try {
      return await resolveNodeAt(ctx, address);
    } catch (error) {
      if (error instanceof NodeDiscoveryError) throw new DomainError("invalid_input", "invalid_input", `url: ${error.message}`, [{ path: "url", message: error.message }]);
      throw error;
    }
  };
}
