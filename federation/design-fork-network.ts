import type { Context } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { ForkAnswer, ForkNetworkPort, LocalFork, RemoteDesign, RemoteRelease } from "../server/modules/design-forks/index.ts";
import type { ActivityDraft, OutboxRecipient } from "../server/modules/outbox/index.ts";
import { DomainError } from "../server/platform/errors.ts";
import { uuidv7 } from "../server/platform/ids.ts";
import { addressPolicyFor } from "../server/platform/outbound-http/address-policy.ts";
import { findAddressRefusal } from "../server/platform/outbound-http/guarded-connector.ts";
import { dispatcherFor } from "../server/platform/outbound-http/outbound-dispatcher.ts";
import { NODE_IDENTITY } from "./actors.ts";
import { buildDesignService } from "./designs.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toWireFormat } from "./signing/wire-format.ts";
import { toForkAnnouncement, toForkAnswer } from "./translate/design-fork.ts";
import { fromDesignDocument, fromReleaseDocument } from "./translate/remote-design.ts";
import { designForkActivityPath } from "./uris.ts";

const logger = getLogger(["commonsnet", "design-forks"]);

const refused = (field: string, message: string) => new DomainError("invalid_input", "invalid_input", `${field}: ${message}`, [{ path: field, message }]);
/** The Create with the design document as served for its object, under both documents' contexts. */
function withServedObject(create: Record<string, unknown>, served: Record<string, unknown>): Record<string, unknown> {
  const { "@context": servedContext, ...object } = served;
  const contexts = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const context = [...contexts(create["@context"])];
  for (const item of contexts(servedContext)) if (!context.some((c) => JSON.stringify(c) === JSON.stringify(item))) context.push(item);
  return { ...create, "@context": context, object };
}

const sameHost = (a: string, b: string) => new URL(a).host.toLowerCase() === new URL(b).host.toLowerCase();

/**
 * The network side of forking (server/modules/design-forks/designs-port.ts). Documents are fetched
 * with the node's authenticated loader (federation/document-loader.ts: size cap, deadline, address
 * policy, ActivityPub content types), signed as the node actor since peers in authorized-fetch mode
 * refuse unsigned GETs; file bytes stream through the same address policy's agent.
 */
export function createForkNetworkPort(ctx: Context<FederationDeps>): ForkNetworkPort {
  const load = async (url: string, field: string): Promise<Record<string, unknown>> => {
    const loader = await ctx.getDocumentLoader(NODE_IDENTITY);
    let fetched;
    try {
      fetched = await loader(url);
    } catch (error) {
      // Fedify's errors repeat the URL; it is said once.
      const reason = (error instanceof Error ? error.message : String(error)).replaceAll(`: ${url}`, "").replaceAll(`${url}: `, "");
      throw refused(field, `could not fetch ${url}: ${reason}`);
    }
    const doc = fetched.document;
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw refused(field, `${url} is not a JSON-LD object`);
    const id = (doc as { id?: unknown }).id;
    // A document speaks for its own origin only (docs/security.md#origins).
    if (typeof id !== "string" || !URL.canParse(id) || !sameHost(id, url) || !sameHost(id, fetched.documentUrl)) {
      throw refused(field, `${url} answered a document whose id (${String(id)}) is not on its host`);
    }
    return doc as Record<string, unknown>;
  };

  const port: ForkNetworkPort = {
    async loadRelease(url: string): Promise<RemoteRelease> {
      const parsed = fromReleaseDocument(await load(url, "source"));
      if (!parsed.ok) throw refused("source", `${url}: ${parsed.reason}`);
      if (!sameHost(parsed.value.designIri, parsed.value.iri)) throw refused("source", `${url}: its design ${parsed.value.designIri} is on another host`);
      return parsed.value;
    },

    async loadDesign(iri: string): Promise<RemoteDesign> {
      const parsed = fromDesignDocument(await load(iri, "source"));
      if (!parsed.ok) throw refused("source", `${iri}: ${parsed.reason}`);
      if (parsed.value.iri !== iri) throw refused("source", `${iri} answered the document of ${parsed.value.iri}`);
      return parsed.value;
    },

    /**
     * Why a design's fork chain cannot be believed, or null. Each link's design and release are on the
     * host the link names, and the chain ends with the release it names as `forkOf`; a link made on a
     * third node is that node's own claim: its design's document must name the previous link's release
     * as `forkOf`, and the same chain before it. Links on this node are the design-forks service's to
     * check against our releases.
     */
    async chainProblem(design: RemoteDesign): Promise<string | null> {
      const chain = design.forkChain;
      if ((design.forkOf === null) !== (chain.length === 0) || (design.forkOf !== null && chain.at(-1)!.release !== design.forkOf)) {
        return `${design.iri} names a fork chain that does not end with the release it was forked from`;
      }
      for (const [index, link] of chain.entries()) {
        const host = new URL(link.design).host.toLowerCase();
        if (host !== link.host.toLowerCase() || new URL(link.release).host.toLowerCase() !== host) return `link ${index + 1} of its chain (${link.design}) is not on the host it names`;
        if (index === 0 || new URL(link.design).origin === new URL(ctx.canonicalOrigin).origin) continue;
        let claimed: RemoteDesign;
        try {
          claimed = await port.loadDesign(link.design);
        } catch (error) {
          return `link ${index + 1} of its chain could not be checked: ${(error as Error).message}`;
        }
        const before = chain.slice(0, index).map((l) => l.release);
        if (claimed.forkOf !== chain[index - 1]!.release || JSON.stringify(claimed.forkChain.map((l) => l.release)) !== JSON.stringify(before)) {
          return `${link.design} does not name the chain claimed for it`;
        }
      }
      return null;
    },

    async openFile(href: string): Promise<AsyncIterable<Uint8Array>> {
      // No total deadline: a 500 MB release takes its time. The agent bounds connecting, undici an idle body.
      const init = { dispatcher: dispatcherFor(addressPolicyFor(ctx.data.config)), redirect: "follow" } as RequestInit;
      let response: Response;
      try {
        response = await fetch(href, init);
      } catch (error) {
        // The agent refuses addresses the policy does not permit, at every redirect hop too.
        const refusal = findAddressRefusal(error);
        throw refusal === undefined ? error : new Error(`refused: ${refusal.message}`);
      }
      if (!response.ok || response.body === null) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      logger.debug("Downloading {href}", { href });
      return response.body;
    },

    async forkAnnouncement(fork: LocalFork, recipients: readonly OutboxRecipient[]): Promise<ActivityDraft> {
      const id = new URL(designForkActivityPath(fork.handle, "creates", uuidv7()), ctx.canonicalOrigin);
      const create = (await toForkAnnouncement(id, fork, recipients.map((r) => new URL(r.id))).toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
      // The design as it is served, its `okh:forkOf` and `cn:forkChain` included (as a design's Update embeds it).
      const design = await ctx.data.services.designs.find(fork.handle);
      const served = design === undefined ? null : ((await (await buildDesignService(ctx, design)).toJsonLd({ contextLoader: ctx.contextLoader })) as Record<string, unknown>);
      const activity = served === null ? create : withServedObject(create, served);
      return { sender: fork.handle, recipients, activity: toWireFormat(activity), orderingKey: fork.iri };
    },

    async forkAnswer(answer: ForkAnswer): Promise<ActivityDraft> {
      const design = ctx.getActorUri(answer.handle);
      const id = new URL(designForkActivityPath(answer.handle, answer.kind === "accept" ? "accepts" : "rejects", uuidv7()), ctx.canonicalOrigin);
      const activity = toForkAnswer(answer.kind, id, design, answer);
      return {
        sender: answer.handle,
        recipients: [answer.recipient],
        activity: (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>,
        orderingKey: `${design.href} ${answer.forkDesignIri}`,
      };
    },
  };
  return port;
}
