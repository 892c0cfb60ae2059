import type { Federation } from "@fedify/fedify";
import { DomainError } from "../../server/platform/errors.ts";
import type { PeeringPort } from "../../server/modules/peers/peering.ts";
import { type ConnectResult, connectPeer } from "../../server/modules/peers/peering.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { NodeDiscoveryError } from "./node-discovery.ts";
import { createPeeringPort, resolveNodeAt } from "./peering-port.ts";

/** The peering port for a request (the API and the admin page). */
export function peeringPortFor(federation: Federation<FederationDeps>, deps: FederationDeps, request: Request): PeeringPort {
  return createPeeringPort(federation.createContext(request, { db: deps.db, box: deps.box, config: deps.config }));
}

/**
 * An admin connects to the node at `address`: resolved through its NodeInfo and actor (a failure is
 * a 422 saying why), then followed by our node actor, as the charter allows (server/modules/peers).
 */
export async function connectToNode(
  federation: Federation<FederationDeps>,
  deps: FederationDeps,
  request: Request,
  address: URL,
  admin: { accountId: number; handle: string },
): Promise<ConnectResult> {
  const ctx = federation.createContext(request, { db: deps.db, box: deps.box, config: deps.config });
  let draft;
  try {
    draft = await resolveNodeAt(ctx, address);
  } catch (error) {
    if (error instanceof NodeDiscoveryError) throw new DomainError("invalid_input", "invalid_input", `url: ${error.message}`, [{ path: "url", message: error.message }]);
    throw error;
  }
  return await connectPeer(deps.db, deps.config.registration, draft, createPeeringPort(ctx), admin);
}
