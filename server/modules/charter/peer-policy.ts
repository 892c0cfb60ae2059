import { isHostWithin, isSameHost } from "../../platform/hosts.ts";
import type { CharterDocument } from "./charter.schema.ts";

/** Host (with port when not default) of a URL, lower-cased: how charters name peers. */
export function hostOf(url: string | URL): string {
  return new URL(String(url)).host.toLowerCase();
}

/**
 * Whether the charter blocks `host`: a block entry covers the host under any spelling and port, and
 * every subdomain (server/platform/hosts.ts), so `127.0.0.1:4000`, `Localhost.` or `a.spam.example`
 * cannot sidestep a block of `127.0.0.1`, `localhost` or `spam.example`.
 */
export function isHostBlocked(charter: CharterDocument, host: string): boolean {
  return charter.federation.block.some((entry) => isHostWithin(host, entry));
}

/**
 * Whether the charter's allowlist names `host` (any spelling or port). Only the listed host itself:
 * listing a domain does not admit its subdomains, as Mastodon's DomainAllow matches one domain.
 */
export function isHostListed(charter: CharterDocument, host: string): boolean {
  return charter.federation.allow.some((entry) => isSameHost(host, entry));
}

/**
 * Whether the charter lets this node federate with `host` at all: allowlist mode admits only the
 * listed hosts, blocklist and open modes refuse the blocked ones. Pure, so every rule is tested alone.
 */
export function isPeerAllowed(charter: CharterDocument, host: string): boolean {
  if (isHostBlocked(charter, host)) return false;
  if (charter.federation.mode === "allowlist") return isHostListed(charter, host);
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
  if (claims.connectionRequest && charter.federation.mode === "allowlist" && !claims.hosts.some((host) => isHostBlocked(charter, host))) return { allowed: true };
  return { allowed: false, host: excluded.toLowerCase() };
}
