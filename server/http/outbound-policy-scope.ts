import type { MiddlewareHandler } from "hono";
import type { AddressPolicy } from "../platform/outbound-http/address-policy.ts";
import { withOutboundPolicy } from "../platform/outbound-http/outbound-dispatcher.ts";

/**
 * Whatever a request makes the node fetch through the global fetch (Fedify's WebFinger lookups and
 * key fetches on behalf of an inbox POST) obeys the node's address policy.
 */
export function outboundPolicyScope(policy: AddressPolicy): MiddlewareHandler {
  return (_c, next) => withOutboundPolicy(policy, () => next());
}
