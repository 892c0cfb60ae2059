import { isIP } from "node:net";
import { isPublicAddress, NON_PUBLIC_RANGES, rangeSet } from "./address-ranges.ts";

/**
 * Which addresses the node may open connections to: every public address, plus the non-public
 * ranges an operator named (PRIVATE_ADDRESS_ALLOW, e.g. loopback for nodes on one machine), or all
 * of them with ALLOW_PRIVATE_ADDRESS=true (development). Naming 127.0.0.0/8 does not open
 * 169.254.169.254: only what is named is reachable. Mastodon's ALLOWED_PRIVATE_ADDRESSES works the
 * same way (app/lib/request.rb, `check_private_address`).
 */
export interface AddressPolicy {
  /** The non-public ranges let through, as configured (empty: public addresses only). */
  readonly allowedRanges: readonly string[];
  permits(address: string): boolean;
}

export function createAddressPolicy(allowedRanges: readonly string[]): AddressPolicy {
  const allowed = rangeSet(allowedRanges);
  return Object.freeze({
    allowedRanges: Object.freeze([...allowedRanges]),
    permits(address: string): boolean {
      return isIP(address) !== 0 && (isPublicAddress(address) || allowed.has(address));
    },
  });
}

/** Public addresses only: what a node in production reaches unless its operator names ranges. */
export const PUBLIC_ONLY: AddressPolicy = createAddressPolicy([]);

/** Every range; what ALLOW_PRIVATE_ADDRESS=true means, for development and tests only. */
export const ALL_PRIVATE_RANGES: readonly string[] = NON_PUBLIC_RANGES;

type AddressConfig = { readonly allowPrivateAddress: boolean; readonly privateAddressAllow: readonly string[] };
const byConfig = new WeakMap<AddressConfig, AddressPolicy>();

/** The policy a node's configuration asks for; one object per config, so its parts share one agent. */
export function addressPolicyFor(config: AddressConfig): AddressPolicy {
  let policy = byConfig.get(config);
  if (policy === undefined) {
    policy = createAddressPolicy(config.allowPrivateAddress ? ALL_PRIVATE_RANGES : config.privateAddressAllow);
    byConfig.set(config, policy);
  }
  return policy;
}
