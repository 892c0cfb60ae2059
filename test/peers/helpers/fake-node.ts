import type { TestNode } from "../../helpers/test-node.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../../inbox/helpers/signing-peer.ts";

/**
 * A hand-driven node on a loopback port, for what real nodes never do (forged entries) and for
 * inbound peering without a second full node: a signing peer (test/inbox/helpers/signing-peer.ts,
 * Mastodon-style signatures, verified deliveries) whose `node` actor is an `Application` named as
 * the node actor by its NodeInfo, with a directory collection the test fills.
 */
export interface FakeNode {
  readonly peer: SigningPeer;
  readonly actor: PeerActor;
  readonly origin: string;
  readonly host: string;
  /** The entry document at `<origin>/directory/entries/<slug>`, as a Commonsnet node serves it. */
  entryDocument(slug: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Serves the directory collection (one page) with these items. */
  serveDirectory(items: readonly unknown[]): void;
  /** A POST of `activity` by the node actor to `url`, signed. */
  post(node: TestNode, url: string, activity: Record<string, unknown>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

const AS = "https://www.w3.org/ns/activitystreams";
const SCHEMA_CONTEXT = { schema: "http://schema.org#", PropertyValue: "schema:PropertyValue", value: "schema:value" };

/** `address`: the loopback address it listens on (default 127.0.0.1); charters ignore ports, so fakes a charter tells apart need their own. */
export async function createFakeNode(node: TestNode, address?: string): Promise<FakeNode> {
  const peer = await createSigningPeer(node, [], { address });
  const actor = await peer.addActor("node");
  actor.document = { ...actor.document, type: "Application", name: "Fake node" };
  const host = new URL(peer.origin).host;
  peer.serve("/.well-known/nodeinfo", { links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: `${peer.origin}/nodeinfo/2.1` }] }, "application/json");
  peer.serve(
    "/nodeinfo/2.1",
    {
      version: "2.1",
      software: { name: "fakenode", version: "1.0.0" },
      protocols: ["activitypub"],
      services: { inbound: [], outbound: [] },
      openRegistrations: false,
      usage: { users: {}, localPosts: 0 },
      metadata: { nodeActor: actor.id, nodeName: "Fake node" },
    },
    "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
  );
  const fake: FakeNode = {
    peer,
    actor,
    origin: peer.origin,
    host,
    entryDocument(slug, overrides = {}) {
      return {
        "@context": [AS, SCHEMA_CONTEXT],
        id: `${peer.origin}/directory/entries/${slug}`,
        type: "Page",
        name: `Fake ${slug}`,
        summary: "A listing of the fake node.",
        url: `${peer.origin}/@${slug}`,
        updated: new Date().toISOString(),
        attributedTo: actor.id,
        attachment: [
          { type: "PropertyValue", name: "kind", value: "project" },
          { type: "PropertyValue", name: "maxHops", value: "0" },
        ],
        ...overrides,
      };
    },
    serveDirectory(items) {
      const id = `${actor.id}/directory`;
      peer.serve("/users/node/directory/page", { "@context": [AS, SCHEMA_CONTEXT], id: `${id}/page`, type: "OrderedCollectionPage", partOf: id, orderedItems: items });
      peer.serve("/users/node/directory", { "@context": [AS, SCHEMA_CONTEXT], id, type: "OrderedCollection", totalItems: items.length, first: `${id}/page` });
    },
    async post(target, url, activity) {
      return await deliver(target, await peer.signedPost(url, { "@context": [AS, SCHEMA_CONTEXT], ...activity }, actor));
    },
    close: () => peer.close(),
  };
  return fake;
}
