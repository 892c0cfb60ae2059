import { Accept, Create, Reject, Service } from "@fedify/vocab";
import type { ForkAnswer, LocalFork } from "../../server/modules/design-forks/index.ts";

/**
 * A fork made here, announced to the designs of its chain: `Create` of the new design as a
 * `Service` (docs/designs.md, after ForgeFed's fork announcement), from the design actor itself.
 * Fedify's vocabulary carries no `okh:forkOf` or chain, and the outbox relay re-parses activities
 * through it, so receivers read them from the design's own document at its origin, which they must
 * fetch anyway to verify the claim.
 */
export function toForkAnnouncement(id: URL, fork: LocalFork, to: readonly URL[]): Create {
  const actor = new URL(fork.iri);
  return new Create({
    id,
    actor,
    tos: [...to],
    object: new Service({ id: actor, name: fork.name, url: new URL(fork.url), preferredUsername: fork.handle }),
  });
}

/**
 * Our design's answer to a fork announcement: `Accept` once listed, or `Reject` with the reason (the
 * charter rule or the share-alike licence) as its content, naming the announcement by IRI.
 */
export function toForkAnswer(kind: "accept" | "reject", id: URL, design: URL, answer: ForkAnswer): Accept | Reject {
  const values = { id, actor: design, to: new URL(answer.forkDesignIri), object: new URL(answer.activityIri), content: answer.reason ?? null };
  return kind === "accept" ? new Accept(values) : new Reject(values);
}
