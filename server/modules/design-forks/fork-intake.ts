import type { Db } from "../../db/database.ts";
import type { CharterService } from "../charter/index.ts";
import { hostOf } from "../charter/peer-policy.ts";
import { commitWithActivities, type ActivityDraft } from "../outbox/index.ts";
import { insertForkOnce, type NewForkRecord } from "./design-fork.repository.ts";
import type { ForkClaim } from "./design-fork.schema.ts";
import type { ForkNetworkPort } from "./designs-port.ts";
import type { DesignsService, DesignView, ReleaseView } from "../designs/index.ts";
import { charterLicenceRefusal, shareAlikeRefusal } from "./licence-rule.ts";

export interface ForkIntakeDeps {
  readonly db: Db;
  readonly designs: DesignsService;
  readonly charter: CharterService;
  readonly network: ForkNetworkPort;
  readonly isShareAlike: (licence: string) => boolean;
  /** The city of a node, from what the directory knows of it; null when it knows nothing. */
  readonly cityOf: (host: string) => Promise<string | null>;
}

/** What became of an announcement, per design of ours it concerns. */
export type IntakeOutcome =
  | { readonly outcome: "ignored"; readonly reason: string }
  | { readonly outcome: "answered"; readonly recorded: readonly string[]; readonly refused: readonly { readonly design: string; readonly reason: string }[] };

interface Concerned {
  readonly design: DesignView;
  readonly release: ReleaseView;
  readonly depth: number;
}

/**
 * Records another node's fork of one of our designs (or of a fork of one: every local design of its
 * chain lists it, at its depth in the chain), once, and answers it: `Accept`, or `Reject` naming the
 * charter rule (licences) or the share-alike licence it breaks, in which case nothing is listed. The
 * claim arrives verified (federation/inbox/design-fork.ts): the fork's own document, from its origin,
 * names this release and chain. A chain link is ours only when the release it names is one of our
 * releases, of the design it names.
 */
export async function receiveFork(deps: ForkIntakeDeps, claim: ForkClaim): Promise<IntakeOutcome> {
  const { fork } = claim;
  const last = fork.forkChain.at(-1);
  if (fork.forkOf === null || last === undefined || last.release !== fork.forkOf) return { outcome: "ignored", reason: "its chain does not end with the release it was forked from" };
  if (fork.licence === null) return { outcome: "ignored", reason: "it names no licence" };
  const concerned = await concernedDesigns(deps, claim);
  if (concerned.length === 0) return { outcome: "ignored", reason: "no release of its chain is one of ours" };

  const charter = await deps.charter.current();
  const host = hostOf(fork.iri);
  const city = await deps.cityOf(host).catch(() => null);
  const recorded: string[] = [];
  const refused: { design: string; reason: string }[] = [];
  const answers: { answer: ActivityDraft; record: NewForkRecord | null }[] = [];
  for (const { design, release, depth } of concerned) {
    const reason = charterLicenceRefusal(charter, fork.licence) ?? shareAlikeRefusal(release.licence, fork.licence, deps.isShareAlike);
    const answer = await deps.network.forkAnswer({
      kind: reason === null ? "accept" : "reject",
      handle: design.handle,
      activityIri: claim.activityIri,
      forkDesignIri: fork.iri,
      recipient: { id: fork.iri, inbox: fork.inbox },
      reason: reason ?? undefined,
    });
    if (reason !== null) refused.push({ design: design.iri, reason });
    else recorded.push(design.iri);
    const record: NewForkRecord = {
      designActorId: design.actorId,
      depth,
      sourceReleaseIri: fork.forkOf,
      parentDesignIri: last.design,
      forkDesignIri: fork.iri,
      forkUrl: fork.url,
      forkName: fork.name,
      forkReleaseIri: fork.currentRelease,
      licence: fork.licence,
      nodeHost: host,
      city,
      activityIri: claim.activityIri,
    };
    answers.push({ answer, record: reason === null ? record : null });
  }
  // The listing and its answer commit together: an Accept is never sent for a fork not listed.
  await commitWithActivities(deps.db, async (trx, emit) => {
    for (const { answer, record } of answers) {
      if (record !== null) await insertForkOnce(trx, record);
      await emit(answer);
    }
  });
  return { outcome: "answered", recorded, refused };
}

async function concernedDesigns(deps: ForkIntakeDeps, claim: ForkClaim): Promise<Concerned[]> {
  const chain = claim.fork.forkChain;
  const concerned: Concerned[] = [];
  for (const [index, link] of chain.entries()) {
    const local = await deps.designs.releaseByIri(link.release);
    if (local === undefined || local.design.iri !== link.design) continue;
    if (concerned.some((c) => c.design.actorId === local.design.actorId)) continue;
    concerned.push({ design: local.design, release: local.release, depth: chain.length - index });
  }
  return concerned;
}
