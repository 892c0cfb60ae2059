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
import type { FederationDeps } from "./federation-deps.ts";
import { toForkAnnouncement, toForkAnswer } from "./translate/design-fork.ts";
import { fromDesignDocument, fromReleaseDocument } from "./translate/remote-design.ts";
import { designForkActivityPath } from "./uris.ts";

const logger = getLogger(["commonsnet", "design-forks"]);

const refused = (field: string, message: string) => new DomainError("invalid_input", "invalid_input", `${field}: ${message}`, [{ path: field, message }]);
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

  return {
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
      const activity = toForkAnnouncement(id, fork, recipients.map((r) => new URL(r.id)));
      return {
        sender: fork.handle,
        recipients,
        activity: (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>,
        orderingKey: fork.iri,
      };
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
}
