import { getLogger } from "@logtape/logtape";
import { readCapped } from "../../server/platform/read-capped.ts";
import { z } from "zod";
import { findAddressRefusal } from "../../server/platform/outbound-http/guarded-connector.ts";
import { dispatcherFor } from "../../server/platform/outbound-http/outbound-dispatcher.ts";
import type { FetchPolicy } from "../document-loader.ts";

const logger = getLogger(["commonsnet", "peering", "discovery"]);

/** NodeInfo documents are small; a megabyte-long one is not a node's. */
const MAX_NODEINFO_BYTES = 64 * 1024;
const TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;
const NODEINFO_RELS = ["http://nodeinfo.diaspora.software/ns/schema/2.1", "http://nodeinfo.diaspora.software/ns/schema/2.0"];

/** Why a node could not be found at an address: a message for the admin, and whether to retry later. */
export class NodeDiscoveryError extends Error {
  readonly transient: boolean;
  constructor(message: string, transient = false) {
    super(message);
    this.name = "NodeDiscoveryError";
    this.transient = transient;
  }
}

const WellKnownSchema = z.looseObject({
  links: z.array(z.looseObject({ rel: z.string(), href: z.string() })).max(50),
});

const NodeInfoSchema = z.looseObject({
  software: z.looseObject({ name: z.string().max(200) }).optional(),
  metadata: z.looseObject({ nodeActor: z.string().max(2000), nodeName: z.string().max(500).optional() }),
});

export interface DiscoveredNode {
  /** The node's actor IRI, from `metadata.nodeActor` (FEP-2677's role, in the metadata). */
  readonly actor: URL;
  readonly name: string | null;
}

/**
 * Finds another node's actor from its address alone: `/.well-known/nodeinfo` → the NodeInfo 2.1
 * (or 2.0) document → `metadata.nodeActor`. Every URL involved must stay on the address's host (a
 * NodeInfo link or actor elsewhere could aim our signed requests at a third party), be http(s), and
 * be public unless the node's address policy names its range (Fedify GHSA-hqph-j65v-8cq5, Mastodon CVE-2026-27477):
 * this is a URL an admin typed, so every connection of every hop is checked when it opens.
 */
export async function discoverNode(address: URL, policy: FetchPolicy): Promise<DiscoveredNode> {
  const wellKnown = WellKnownSchema.safeParse(await fetchJson(new URL("/.well-known/nodeinfo", address.origin), address, policy));
  if (!wellKnown.success) throw new NodeDiscoveryError(`${address.origin}/.well-known/nodeinfo is not a NodeInfo discovery document.`);
  const link = NODEINFO_RELS.map((rel) => wellKnown.data.links.find((l) => l.rel === rel)).find((l) => l !== undefined);
  if (link === undefined) throw new NodeDiscoveryError(`${address.host} links no NodeInfo 2.x document.`);
  const nodeInfoUrl = sameHostUrl(link.href, address, "NodeInfo document");
  const nodeInfo = NodeInfoSchema.safeParse(await fetchJson(nodeInfoUrl, address, policy));
  if (!nodeInfo.success) throw new NodeDiscoveryError(`${address.host} does not name its node actor (NodeInfo metadata.nodeActor): is it a Commonsnet node?`);
  const actor = sameHostUrl(nodeInfo.data.metadata.nodeActor, address, "node actor");
  return { actor, name: nodeInfo.data.metadata.nodeName ?? null };
}

function sameHostUrl(value: string, address: URL, what: string): URL {
  if (!URL.canParse(value)) throw new NodeDiscoveryError(`The ${what} of ${address.host} is not a URL.`);
  const url = new URL(value);
  if (!/^https?:$/.test(url.protocol)) throw new NodeDiscoveryError(`The ${what} of ${address.host} is not an http(s) URL.`);
  if (url.host.toLowerCase() !== address.host.toLowerCase()) throw new NodeDiscoveryError(`The ${what} of ${address.host} is on another host (${url.host}).`);
  return url;
}

async function fetchJson(url: URL, address: URL, policy: FetchPolicy): Promise<unknown> {
  const signal = AbortSignal.timeout(policy.timeoutMs ?? TIMEOUT_MS);
  let current = url;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const init = { headers: { Accept: "application/json", "User-Agent": policy.userAgent }, redirect: "manual", signal, dispatcher: dispatcherFor(policy.addresses) };
      const response = await fetch(current, init as RequestInit);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        current = sameHostUrl(new URL(location, current).href, address, "redirect");
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new NodeDiscoveryError(`${current.href} answered HTTP ${response.status}.`, response.status >= 500 || response.status === 429);
      }
      return JSON.parse(new TextDecoder().decode(await readNodeInfo(response)));
    }
    throw new NodeDiscoveryError(`Too many redirects from ${url.href}.`);
  } catch (error) {
    if (error instanceof NodeDiscoveryError) throw error;
    if (findAddressRefusal(error) !== undefined) throw new NodeDiscoveryError(`${address.host} is a private or invalid address, which this node does not federate with.`);
    if (error instanceof SyntaxError) throw new NodeDiscoveryError(`${current.href} is not JSON.`);
    logger.info("Could not fetch {url}: {error}", { url: current.href, error });
    throw new NodeDiscoveryError(`Could not reach ${address.host}: ${signal.aborted ? "timed out" : "connection failed"}.`, true);
  }
}

async function readNodeInfo(response: Response): Promise<Uint8Array> {
  if (Number(response.headers.get("content-length") ?? 0) > MAX_NODEINFO_BYTES) {
    await response.body?.cancel();
    throw new NodeDiscoveryError(`${response.url || "A NodeInfo document"} is larger than ${MAX_NODEINFO_BYTES} bytes.`);
  }
  const bytes = await readCapped(response.body, MAX_NODEINFO_BYTES);
  if (bytes === null) throw new NodeDiscoveryError(`A NodeInfo document is larger than ${MAX_NODEINFO_BYTES} bytes.`);
  return bytes;
}
