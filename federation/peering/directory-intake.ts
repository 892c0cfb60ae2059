import { type Context, FetchError } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { CharterDocument } from "../../server/modules/charter/charter.schema.ts";
import { hostOf, isPeerAllowed } from "../../server/modules/charter/peer-policy.ts";
import type { DirectoryEntry } from "../../server/modules/directory/directory-entry.ts";
import type { DirectoryEntryDraft } from "../../server/modules/directory/directory-entry.schema.ts";
import { findEntryByIri, licenceRefusal } from "../../server/modules/directory/index.ts";
import { removeEntry, upsertReceivedEntry } from "../../server/modules/directory/index.ts";
import { commitWithActivities, type EmitActivity } from "../../server/modules/outbox/index.ts";
import { mayAcceptAtHops, mayForward } from "../../server/modules/peers/hop-rule.ts";
import { listFollowingPeers, type Peer } from "../../server/modules/peers/index.ts";
import { NODE_IDENTITY } from "../actors.ts";
import { createDirectoryPublisher } from "../directory-publisher.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { fromDirectoryEntryJson } from "../translate/directory-entry.ts";

const logger = getLogger(["commonsnet", "directory", "replication"]);

/** Hop counts beyond this are not believed (charters allow at most 5 forwards). */
const MAX_CLAIMED_HOPS = 10;

/** Why our charter refuses an entry: its kind, its licence (designs), or its origin node. Null when it accepts it. */
function charterRefusal(charter: CharterDocument, draft: Pick<DirectoryEntryDraft, "kind" | "origin" | "licence">): string | null {
  if (!charter.directory.acceptKinds.includes(draft.kind)) return `our charter does not accept ${draft.kind} listings`;
  const licence = licenceRefusal(charter, draft);
  if (licence !== null) return licence;
  const origin = hostOf(draft.origin);
  if (!isPeerAllowed(charter, origin)) return `our charter excludes its origin ${origin}`;
  return null;
}

/**
 * An entry from its origin itself (a `Create`/`Update` signed by the origin's node actor, or an
 * item of the origin's own directory collection fetched from it): stored at hop 1. The entry must be
 * the sender's: its IRI on the sender's host and attributed to the sender's node actor; anything else
 * claims another origin and is refused (docs/security.md#origins, ORI-13).
 */
export async function takeDirectEntry(ctx: Context<FederationDeps>, peer: Peer, draft: DirectoryEntryDraft, source: string): Promise<void> {
  await takeDirectEntries(ctx, peer, [draft], source);
}

/**
 * Several entries from their origin (a page of its directory collection), each checked as
 * `takeDirectEntry` does, stored together in one transaction: a backfill of thousands of entries
 * then commits once per page, not once per entry.
 */
export async function takeDirectEntries(ctx: Context<FederationDeps>, peer: Peer, drafts: readonly DirectoryEntryDraft[], source: string): Promise<void> {
  const charter = (await ctx.data.services.charter.current()).document;
  const relicensed: DirectoryEntryDraft[] = [];
  const accepted = drafts.filter((draft) => {
    if (draft.origin !== peer.actorIri || hostOf(draft.iri) !== peer.host) {
      logger.warning("Refused forged entry {iri} in {source}: {peer} is not its origin (attributedTo {origin})", { iri: draft.iri, source, peer: peer.host, origin: draft.origin });
      return false;
    }
    const refusal = charterRefusal(charter, draft);
    if (refusal !== null) logger.info("Refused entry {iri} from {peer}: {refusal}", { iri: draft.iri, peer: peer.host, refusal });
    if (refusal !== null && licenceRefusal(charter, draft) !== null) relicensed.push(draft);
    return refusal === null;
  });
  await storeAndForward(ctx, charter, peer, accepted.map((draft) => ({ draft, hops: 1 })), source);
  // A design its origin moved to a licence our charter refuses: the copy we hold goes too.
  for (const draft of relicensed) {
    if ((await findEntryByIri(ctx.data.db, draft.iri)) === undefined) continue;
    const removed = await removeEntryAtOrigin(ctx, new URL(draft.iri), peer);
    logger.info("Entry {iri} from {peer} is now under a licence our charter refuses: {outcome}", { iri: draft.iri, peer: peer.host, outcome: removed ? "removed here" : "we had no copy" });
  }
}

/** What the origin says of an entry when we fetch its IRI. */
type OriginAnswer =
  | { readonly kind: "entry"; readonly draft: DirectoryEntryDraft }
  | { readonly kind: "gone" }
  | { readonly kind: "failed"; readonly reason: string };

/**
 * An entry a peer forwarded (an `Announce` of its IRI, or an item of another origin in a peer's
 * collection), held here at `hops`. Only the IRI is taken from the forwarder: the entry is fetched
 * from its origin (the IRI's host) with a GET signed by our node actor, and stored only when the
 * document is that entry, attributed to a node actor on that host, and within the hop limits (the
 * origin's `maxHops` and our charter's). An origin that answers 404 or 410 removed the entry: a copy
 * we hold goes, and the removal is passed on the same way.
 */
export async function takeForwardedEntry(ctx: Context<FederationDeps>, peer: Peer, iri: URL, claimedHops: number, source: string): Promise<void> {
  if (iri.origin === new URL(ctx.canonicalOrigin).origin) return;
  const hops = iri.host === peer.host ? 1 : Math.max(2, Math.trunc(claimedHops));
  const charter = (await ctx.data.services.charter.current()).document;
  if (!Number.isFinite(hops) || hops > MAX_CLAIMED_HOPS || !mayAcceptAtHops(hops, MAX_CLAIMED_HOPS, charter.directory.hopLimit)) {
    logger.info("Refused forwarded entry {iri} from {peer}: {hops} hops exceed our hop limit {limit}", { iri: iri.href, peer: peer.host, hops, limit: charter.directory.hopLimit });
    return;
  }
  if (!isPeerAllowed(charter, iri.host)) {
    logger.info("Refused forwarded entry {iri} from {peer}: our charter excludes its origin {origin}", { iri: iri.href, peer: peer.host, origin: iri.host });
    return;
  }
  const answer = await fetchFromOrigin(ctx, iri);
  if (answer.kind === "gone") {
    await removeGoneEntry(ctx, iri, peer);
    return;
  }
  if (answer.kind === "failed") {
    logger.warning("Refused forwarded entry {iri} from {peer} ({source}): {reason}", { iri: iri.href, peer: peer.host, source, reason: answer.reason });
    return;
  }
  const { draft } = answer;
  const refusal = charterRefusal(charter, draft) ?? (mayAcceptAtHops(hops, draft.maxHops, charter.directory.hopLimit) ? null : `${hops} hops exceed the origin's consent (${draft.maxHops}) or our hop limit (${charter.directory.hopLimit})`);
  if (refusal !== null) {
    logger.info("Refused forwarded entry {iri} from {peer}: {refusal}", { iri: iri.href, peer: peer.host, refusal });
    return;
  }
  await storeAndForward(ctx, charter, peer, [{ draft, hops }], source);
}

async function fetchFromOrigin(ctx: Context<FederationDeps>, iri: URL): Promise<OriginAnswer> {
  let document: unknown;
  let documentUrl: string;
  try {
    const loader = await ctx.getDocumentLoader(NODE_IDENTITY);
    ({ document, documentUrl } = await loader(iri.href));
  } catch (error) {
    const status = error instanceof FetchError ? error.response?.status : undefined;
    if (status === 404 || status === 410) return { kind: "gone" };
    return { kind: "failed", reason: `could not fetch it from its origin: ${String((error as Error)?.message ?? error)}` };
  }
  if (new URL(documentUrl).origin !== iri.origin) return { kind: "failed", reason: `its origin redirected to another host (${documentUrl})` };
  const parsed = fromDirectoryEntryJson(document);
  if (!parsed.success) return { kind: "failed", reason: `the origin's document is not a valid entry: ${parsed.error}` };
  if (parsed.draft.iri !== iri.href) return { kind: "failed", reason: `the origin's document is ${parsed.draft.iri}, not ${iri.href}` };
  if (hostOf(parsed.draft.origin) !== iri.host) return { kind: "failed", reason: `the origin's document is attributed to ${parsed.draft.origin}, not a node of ${iri.host}` };
  return { kind: "entry", draft: parsed.draft };
}

/**
 * Stores the entries (once per IRI, lowest hop count kept) and forwards them, in one transaction.
 * Should that transaction fail, each entry is tried alone, so one bad entry does not cost a page.
 */
async function storeAndForward(
  ctx: Context<FederationDeps>,
  charter: CharterDocument,
  peer: Peer,
  entries: readonly { readonly draft: DirectoryEntryDraft; readonly hops: number }[],
  source: string,
): Promise<void> {
  if (entries.length === 0) return;
  const store = (batch: typeof entries) =>
    commitWithActivities(ctx.data.db, async (trx, emit) => {
      const followingPeers = once(() => listFollowingPeers(trx));
      const outcomes = [];
      for (const { draft, hops } of batch) {
        const result = await upsertReceivedEntry(trx, draft, { peerId: peer.id, hops });
        if (result.outcome === "created" || result.outcome === "updated") await forward(ctx, emit, charter, result.entry, peer, await followingPeers());
        outcomes.push({ draft, hops, result });
      }
      return outcomes;
    });
  let outcomes: Awaited<ReturnType<typeof store>>;
  try {
    outcomes = await store(entries);
  } catch (error) {
    if (entries.length === 1) throw error;
    logger.warning("Storing {count} entries from {peer} together failed, storing them one by one: {error}", { count: entries.length, peer: peer.host, error });
    outcomes = [];
    for (const entry of entries) {
      try {
        outcomes.push(...(await store([entry])));
      } catch (single) {
        logger.error("Could not store entry {iri} from {peer}: {error}", { iri: entry.draft.iri, peer: peer.host, error: single });
      }
    }
  }
  for (const { draft, hops, result } of outcomes) {
    if (result.outcome === "refused") logger.warning("Refused entry {iri} from {peer} ({source}): {reason}", { iri: draft.iri, peer: peer.host, source, reason: result.reason });
    else logger.info("Entry {iri} from {peer} ({source}, {hops} hops): {outcome}", { iri: draft.iri, peer: peer.host, source, hops, outcome: result.outcome });
  }
}

/** Runs `load` the first time its result is wanted, and hands out the same promise after. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/** The origin removed an entry that was forwarded to us: our copy goes, and so does the news. */
async function removeGoneEntry(ctx: Context<FederationDeps>, iri: URL, peer: Peer): Promise<void> {
  const charter = (await ctx.data.services.charter.current()).document;
  const removed = await commitWithActivities(ctx.data.db, async (trx, emit) => {
    const existing = await findEntryByIri(trx, iri.href);
    if (existing === undefined || existing.localActorId !== null || !(await removeEntry(trx, iri.href, iri.host))) return false;
    await forward(ctx, emit, charter, existing, peer, await listFollowingPeers(trx));
    return true;
  });
  logger.info("Forwarded entry {iri} is gone at its origin: {outcome}", { iri: iri.href, outcome: removed ? "removed here" : "we had no copy" });
}

/**
 * Removes an entry its origin deleted (a `Delete` from the origin's node actor) and passes the
 * removal on to the peers we forwarded it to.
 */
export async function removeEntryAtOrigin(ctx: Context<FederationDeps>, iri: URL, origin: Peer): Promise<boolean> {
  const charter = (await ctx.data.services.charter.current()).document;
  return await commitWithActivities(ctx.data.db, async (trx, emit) => {
    const existing = await findEntryByIri(trx, iri.href);
    if (existing === undefined || !(await removeEntry(trx, iri.href, origin.host))) return false;
    await forward(ctx, emit, charter, existing, origin, await listFollowingPeers(trx));
    return true;
  });
}

/**
 * `Announce`s an entry we hold to the peers that follow us, except the one it came from and its
 * origin, when the hop rule lets it travel one node further (server/modules/peers/hop-rule.ts).
 */
async function forward(ctx: Context<FederationDeps>, emit: EmitActivity, charter: CharterDocument, entry: DirectoryEntry, from: Peer, followingPeers: readonly Peer[]): Promise<void> {
  if (!mayForward(entry.hops, entry.maxHops, charter.directory.hopLimit)) return;
  const peers = followingPeers.filter((p) => p.id !== from.id && p.host !== entry.originHost && isPeerAllowed(charter, p.host));
  if (peers.length === 0) return;
  const recipients = peers.map((p) => ({ id: p.actorIri, inbox: p.inbox, ...(p.sharedInbox !== null && { sharedInbox: p.sharedInbox }) }));
  await emit(await createDirectoryPublisher(ctx).forward(entry, recipients, entry.hops + 1));
  logger.info("Forwarding {iri} to {peers} at {hops} hops", { iri: entry.iri, peers: peers.map((p) => p.host).join(", "), hops: entry.hops + 1 });
}
