import type { InboxContext } from "@fedify/fedify";
import type { Activity, Create } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { chainOf, type ReceivedFor, type RemoteMadeReport, RemoteMadeReportSchema } from "../../server/modules/made-reports/index.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { createForkNetworkPort } from "../design-fork-network.ts";
import { fromMadeEventCreate, isMadeEventCreate } from "../translate/made-report.ts";
import { guardActivity } from "./guards.ts";
import { resolveRemoteActor } from "./remote-actors.ts";

const logger = getLogger(["commonsnet", "inbox", "made-here"]);

/** A local actor's IRI (`/@handle`, federation/uris.ts ACTOR_PATH): its handle, else null. */
const LOCAL_ACTOR_PATH = /^\/@([^/?#]+)$/;

/**
 * The activity's JSON as received. Fedify keeps the JSON an object was parsed from and returns it
 * from `toJsonLd()` without a format, so the terms its vocabulary does not model (ValueFlows') are
 * read from the very activity the inbox guard and Fedify verified, never fetched again.
 */
export async function receivedJson(activity: Activity): Promise<Record<string, unknown> | null> {
  const json = await activity.toJsonLd().catch(() => null);
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
}

/** Whether a Create carries a made-here event (federation/inbox/targets.ts routes it here). */
export async function isMadeHereCreate(activity: Create): Promise<boolean> {
  return isMadeEventCreate(await receivedJson(activity));
}

/**
 * Inbound `Create(EconomicEvent)`: a build of a release reported on another node
 * (docs/made-here.md). Guards, each ignoring with a log line: the activity and the event
 * are on the actor's host (a node reports only its own members' builds); the event parses; the release
 * is ours, or its design's chain, as its origin states it, holds one of our designs (then the report is
 * filed under that design, the nearest to the release). A repeat stores nothing.
 */
export async function onMadeHere(ctx: InboxContext<FederationDeps>, create: Create): Promise<void> {
  const guarded = guardActivity(create, logger);
  if (guarded === null) return;
  const json = await receivedJson(create);
  if (json === null || !isMadeEventCreate(json) || json.id !== guarded.id.href) {
    logger.info("Ignored Create {id}: not a made-here event as sent", { id: guarded.id.href });
    return;
  }
  const eventId = create.objectId;
  if (eventId === null || eventId.host !== guarded.actor.host) {
    logger.warning("Ignored made-here report {id}: its event {event} is not on the host of its actor {actor}", { id: guarded.id.href, event: eventId?.href, actor: guarded.actor.href });
    return;
  }
  const draft = fromMadeEventCreate(json, guarded.actor);
  if (typeof draft === "string") {
    logger.warning("Ignored made-here report {id}: {reason}", { id: guarded.id.href, reason: draft });
    return;
  }
  const parsed = RemoteMadeReportSchema.safeParse(draft);
  if (!parsed.success || parsed.data.iri !== eventId.href) {
    const reason = parsed.success ? "its event id changed" : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    logger.warning("Ignored made-here report {id}: {reason}", { id: guarded.id.href, reason });
    return;
  }
  const filed = await localTargetOf(ctx, parsed.data);
  if (filed === null) {
    logger.warning("Ignored made-here report {id}: the release {release} is not ours, nor is any design of its chain", { id: guarded.id.href, release: parsed.data.releaseIri });
    return;
  }
  const reporter = await resolveRemoteActor(ctx, guarded.actor).catch(() => null);
  const report = { ...parsed.data, chain: filed.chain, reporterName: reporter?.name ?? reporter?.handle ?? "" };
  const outcome = await ctx.data.services.madeReports.receive(report, filed.target);
  logger.info("Made-here report {report} for @{design}: {outcome}", { report: report.iri, design: filed.target.design.handle, outcome });
}

/**
 * Where the report is filed: our release it names, or else the nearest of our designs in the fork
 * chain of the release's design, as that design's own origin states it. The chain the event carries
 * only says which design the release belongs to (its last link); the design document is fetched from
 * its origin (signed, with the node's loader limits), so a node cannot file a report under one of our
 * designs by claiming a chain its design does not have. The stored chain is the verified one.
 */
async function localTargetOf(ctx: InboxContext<FederationDeps>, report: RemoteMadeReport): Promise<{ target: ReceivedFor; chain: RemoteMadeReport["chain"] } | null> {
  const { designs } = ctx.data.services;
  const release = await designs.releaseByIri(report.releaseIri);
  // Our own release: the chain is ours to state, whatever the event says.
  if (release !== undefined) return { target: { design: release.design, localReleaseId: release.release.id }, chain: chainOf(release.design, release.release, new URL(ctx.canonicalOrigin).host) };
  const own = report.chain.at(-1);
  if (own === undefined || own.release !== report.releaseIri || !report.releaseIri.startsWith(`${own.design}/releases/`)) return null;
  let stated;
  try {
    stated = await createForkNetworkPort(ctx).loadDesign(own.design);
  } catch (error) {
    logger.info("Could not load the design {design} of a made-here report: {error}", { design: own.design, error });
    return null;
  }
  const chain = [...stated.forkChain.map((l) => ({ release: l.release, design: l.design, name: l.name, host: l.host, licence: l.licence })), own];
  for (const link of [...chain].reverse()) {
    const handle = localHandleOf(ctx, link.design);
    const design = handle === null ? undefined : await designs.find(handle);
    if (design !== undefined && design.iri === link.design) return { target: { design, localReleaseId: null }, chain };
  }
  return null;
}

function localHandleOf(ctx: InboxContext<FederationDeps>, iri: string): string | null {
  if (!URL.canParse(iri)) return null;
  const url = new URL(iri);
  if (url.origin !== ctx.canonicalOrigin || url.search !== "" || url.hash !== "") return null;
  const match = LOCAL_ACTOR_PATH.exec(url.pathname);
  return match === null ? null : decodeURIComponent(match[1]!);
}
