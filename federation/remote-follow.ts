import { type Context, type Federation, UrlError, validatePublicUrl } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "./federation-deps.ts";

const logger = getLogger(["commonsnet", "remote-follow"]);

/** A WebFinger answer (JRD), as Fedify's client returns it. */
export type ResourceDescriptor = NonNullable<Awaited<ReturnType<Context<FederationDeps>["lookupWebFinger"]>>>;

/** OStatus' "remote follow" link: Mastodon publishes `https://<host>/authorize_interaction?uri={uri}` (webfinger_serializer.rb). */
export const SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe";

/** Looks up `acct:user@host` (WebFinger always over https for acct:, docs/stack.md#fedify). Injectable for tests. */
export type WebFingerLookup = (resource: string) => Promise<ResourceDescriptor | null>;

/**
 * Fedify's WebFinger client with the node's fetch policy: private and loopback hosts are refused
 * unless the node allows them (development and tests only; docs/security.md#fetching, SSRF-05).
 */
export function createWebFingerLookup(federation: Federation<FederationDeps>, deps: FederationDeps): WebFingerLookup {
  const ctx = federation.createContext(deps.config.publicUrl, deps);
  return async (resource) => {
    if (!deps.config.allowPrivateAddress) {
      const host = resource.replace(/^acct:/, "").split("@").pop() ?? "";
      try {
        await validatePublicUrl(`https://${host}/`);
      } catch (error) {
        if (error instanceof UrlError) {
          logger.info("Refused WebFinger lookup of {resource}: not a public host", { resource });
          return null;
        }
        throw error;
      }
    }
    return await ctx.lookupWebFinger(resource);
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
