import { createHash } from "node:crypto";
import type { ForkLink } from "../../../server/db/database.ts";
import type { TestNode } from "../../helpers/test-node.ts";
import { createSigningPeer, deliver, type PeerActor, type SigningPeer } from "../../inbox/helpers/signing-peer.ts";

/**
 * A hand-driven node for what real nodes never do: serve a release whose files do not match their
 * declared hashes, or announce forks it did not make. It serves design and release documents shaped
 * as a Commonsnet node serves them (federation/translate/ of the designs module), and signs what it
 * posts as a Mastodon-style actor (test/inbox/helpers/signing-peer.ts).
 */
export interface FakeDesignNode {
  readonly peer: SigningPeer;
  readonly actor: PeerActor;
  readonly origin: string;
  readonly host: string;
  /** Serves a design document at `/designs/<slug>` (a Service, cn:concreteType DesignRepository). */
  serveDesign(slug: string, options: { licence: string; forkOf?: string; forkChain?: readonly ForkLink[]; name?: string }): string;
  /** Serves a release of a design and its (UTF-8 text) files; `served` replaces a file's bytes, not its declared hash. */
  serveRelease(slug: string, version: string, files: readonly FakeFile[], licence: string): string;
  /** A signed POST of `activity` by the fake actor to `url` on `node`. */
  post(node: TestNode, url: string, activity: Record<string, unknown>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface FakeFile {
  readonly name: string;
  readonly declared: Buffer;
  readonly served?: Buffer;
  /** The size the release declares: the declared bytes' by default; null declares none. */
  readonly size?: number | null;
  /** Where the release says the file is; this node by default. */
  readonly href?: string;
}

const CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  { cn: "https://w3id.org/commonsnet/ns#", okh: "https://w3id.org/oseg/ont/okh#", spdx: "http://spdx.org/rdf/terms#", forge: "https://forgefed.org/ns#" },
];

export async function createFakeDesignNode(node: TestNode, address: string): Promise<FakeDesignNode> {
  const peer = await createSigningPeer(node, ["maker"], { address });
  const actor = peer.actors.maker!;
  const origin = peer.origin;
  const fake: FakeDesignNode = {
    peer,
    actor,
    origin,
    host: new URL(origin).host,
    serveDesign(slug, options) {
      const id = `${origin}/designs/${slug}`;
      peer.serve(`/designs/${slug}`, {
        "@context": CONTEXT,
        id,
        type: "Service",
        "cn:concreteType": "DesignRepository",
        preferredUsername: slug,
        name: options.name ?? `Fake ${slug}`,
        summary: "<p>A design of the fake node.</p>",
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        url: id,
        "spdx:license": { "spdx:licenseId": options.licence },
        ...(options.forkOf === undefined ? {} : { "okh:forkOf": options.forkOf, "cn:forkChain": options.forkChain ?? [] }),
      });
      return id;
    },
    serveRelease(slug, version, files, licence) {
      const design = `${origin}/designs/${slug}`;
      const id = `${design}/releases/${version}`;
      for (const file of files) peer.serve(`/designs/${slug}/releases/${version}/files/${file.name}`, (file.served ?? file.declared).toString("utf8"), "application/octet-stream");
      peer.serve(`/designs/${slug}/releases/${version}`, {
        "@context": CONTEXT,
        id,
        type: "Release",
        name: `v${version}`,
        context: design,
        "okh:version": version,
        "spdx:license": { "spdx:licenseId": licence },
        content: "<p>Release notes.</p>",
        attachment: files.map((file) => ({
          type: "Link",
          name: file.name,
          mediaType: "application/octet-stream",
          href: file.href ?? `${id}/files/${file.name}`,
          "cn:sha256": createHash("sha256").update(file.declared).digest("hex"),
          ...(file.size === null ? {} : { "cn:size": file.size ?? file.declared.length }),
        })),
      });
      return id;
    },
    async post(target, url, activity) {
      return await deliver(target, await peer.signedPost(url, { "@context": CONTEXT.slice(0, 2), ...activity }, actor));
    },
    close: () => peer.close(),
  };
  return fake;
}
