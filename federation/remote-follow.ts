import type { Context, Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { addressPolicyFor } from "../server/platform/outbound-http/address-policy.ts";
import { findAddressRefusal } from "../server/platform/outbound-http/guarded-connector.ts";
import { withOutboundPolicy } from "../server/platform/outbound-http/outbound-dispatcher.ts";
import type { FederationDeps } from "./federation-deps.ts";

const logger = getLogger(["commonsnet", "remote-follow"]);

/** A WebFinger answer (JRD), as Fedify's client returns it. */
export type ResourceDescriptor = NonNullable<Awaited<ReturnType<Context<FederationDeps>["lookupWebFinger"]>>>;

/** OStatus' "remote follow" link: Mastodon publishes `https://<host>/authorize_interaction?uri={uri}` (webfinger_serializer.rb). */
export const SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe";

/** Looks up `acct:user@host` (WebFinger always over https for acct:, docs/stack.md#fedify). Injectable for tests. */
export type WebFingerLookup = (resource: string) => Promise<ResourceDescriptor | null>;

/**
 * Anyone can ask for a lookup, so one must not hold a connection for long: a whole lookup,
 * redirects included, gets this long (Fedify's default is only the connect timeout, 10 s a hop).
 */
export const WEBFINGER_LOOKUP_TIMEOUT_MS = 3_000;

/**
 * Fedify's WebFinger client with the node's address policy: its connections go through the agent
 * that refuses non-public addresses the config does not name (Fedify GHSA-c59p-wq67-24wx), and it
 * gives up after WEBFINGER_LOOKUP_TIMEOUT_MS.
 */
export function createWebFingerLookup(federation: Federation<FederationDeps>, deps: FederationDeps): WebFingerLookup {
  const ctx = federation.createContext(deps.config.publicUrl, deps);
  const addresses = addressPolicyFor(deps.config);
  return async (resource) => {
    try {
      const signal = AbortSignal.timeout(WEBFINGER_LOOKUP_TIMEOUT_MS);
      return await withOutboundPolicy(addresses, () => ctx.lookupWebFinger(resource, { signal }));
    } catch (error) {
      const refusal = findAddressRefusal(error);
      if (refusal === undefined) throw error;
      logger.info("Refused WebFinger lookup of {resource}: {reason}", { resource, reason: refusal.message });
      return null;
    }
  };
}

/**
 * Where to send a visitor to follow `targetIri` from their own server: the subscribe template with
 * `{uri}` replaced by the URL-encoded IRI. Null when the descriptor has no usable template, or the
 * result would not be an http(s) URL (never redirect to javascript:, data: or a relative path).
 */
export function subscribeUrl(descriptor: ResourceDescriptor, targetIri: string): URL | null {
  const link = descriptor.links?.find((l) => l.rel === SUBSCRIBE_REL && typeof l.template === "string" && l.template.includes("{uri}"));
  if (link?.template === undefined) return null;
  let url: URL;
  try {
    url = new URL(link.template.replaceAll("{uri}", encodeURIComponent(targetIri)));
  } catch {
    return null;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.username !== "" || url.password !== "") return null;
  return url;
}
