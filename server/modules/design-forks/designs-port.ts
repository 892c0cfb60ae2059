import type { ForkLink } from "../../db/database.ts";
import type { ActivityDraft, OutboxRecipient } from "../outbox/index.ts";
import type { RemoteDesign, RemoteRelease } from "./design-fork.schema.ts";

/**
 * What forking needs from the network, implemented in federation/design-forks/ (a module does not
 * speak ActivityPub): documents fetched and parsed with the node's loader limits, address policy and
 * signature, file bytes streamed from their origin, and the activities a fork causes, as drafts.
 * Each load throws a DomainError (invalid_input, naming what was wrong) on anything else.
 */
export interface ForkNetworkPort {
  loadRelease(url: string): Promise<RemoteRelease>;
  loadDesign(iri: string): Promise<RemoteDesign>;
  /** Why a design's fork chain cannot be believed (each third-node link checked at its origin), or null. */
  chainProblem(design: RemoteDesign): Promise<string | null>;
  /** The bytes of a release file, streamed under the address policy (never buffered whole). */
  openFile(href: string): Promise<AsyncIterable<Uint8Array>>;
  /** The `Create` announcing a fork made here, from its design actor, to the designs of its chain. */
  forkAnnouncement(fork: LocalFork, recipients: readonly OutboxRecipient[]): Promise<ActivityDraft>;
  /** Our design's `Accept` or `Reject` (with the reason) of another node's fork announcement. */
  forkAnswer(answer: ForkAnswer): Promise<ActivityDraft>;
}

/** A fork made on this node, as its announcement describes it. */
export interface LocalFork {
  readonly handle: string;
  readonly name: string;
  readonly iri: string;
  readonly url: string;
  readonly licence: string;
  readonly forkOf: string;
  readonly forkChain: readonly ForkLink[];
  readonly releaseIri: string;
}

export interface ForkAnswer {
  readonly kind: "accept" | "reject";
  /** Our design's handle: it signs the answer. */
  readonly handle: string;
  readonly activityIri: string;
  readonly forkDesignIri: string;
  readonly recipient: OutboxRecipient;
  readonly reason?: string;
}
