import type { CharterDocument } from "./charter.schema.ts";

/** Host (with port when not default) of a URL, lower-cased: how charters name peers. */
export function hostOf(url: string | URL): string {
  return new URL(String(url)).host.toLowerCase();
}

/**
 * Whether the charter lets this node federate with `host` at all: allowlist mode admits only the
 * listed hosts, blocklist and open modes refuse the blocked ones. Pure, so every rule is tested alone.
 */
export function isPeerAllowed(charter: CharterDocument, host: string): boolean {
  const h = host.toLowerCase();
  const { mode, allow, block } = charter.federation;
  if (block.includes(h)) return false;
  if (mode === "allowlist") return allow.includes(h);
  return true;
}

/** What an inbound activity reveals about where it comes from, before any of it is verified. */
export interface InboundClaims {
  /** Hosts of the signing keys (HTTP signature keyId, LD signature creator) and of the activity's actors. */
  readonly hosts: readonly string[];
  /** A `Follow` of our node actor (or the `Undo` of one): a request to connect, which an admin may approve. */
  readonly connectionRequest: boolean;
}

export type InboundVerdict = { readonly allowed: true } | { readonly allowed: false; readonly host: string };

/**
 * Whether an inbound activity passes the charter: every host it names must be allowed. In allowlist
 * mode a host that is merely not listed (not blocked) may still ask our node actor to connect, so
 * the request can wait for an admin's approval (approval adds the host to the allowlist).
 */
export function inboundVerdict(charter: CharterDocument, claims: InboundClaims): InboundVerdict {
  const excluded = claims.hosts.find((host) => !isPeerAllowed(charter, host));
  if (excluded === undefined) return { allowed: true };
  const { mode, block } = charter.federation;
  if (claims.connectionRequest && mode === "allowlist" && claims.hosts.every((host) => !block.includes(host.toLowerCase()))) return { allowed: true };
  return { allowed: false, host: excluded.toLowerCase() };
}
