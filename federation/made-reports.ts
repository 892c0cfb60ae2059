import type { Context } from "@fedify/fedify";
import type { Create, Note } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { MadeReportPublisher, MadeReportView } from "../server/modules/made-reports/index.ts";
import type { ActivityDraft, OutboxRecipient } from "../server/modules/outbox/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { resolveRemoteActor } from "./inbox/remote-actors.ts";
import { toWireFormat } from "./signing/wire-format.ts";
import { type MadeNoteUris, toMadeEventCreate, toMadeNote, toMadeNoteCreate } from "./translate/made-report.ts";
import { FOLLOWERS_PATH, designMadePath, madeNotePath, madeReportCreatePath } from "./uris.ts";

const logger = getLogger(["commonsnet", "made-reports"]);

export function madeNoteUris(ctx: Context<FederationDeps>, handle: string, report: MadeReportView): MadeNoteUris {
  let followers: URL;
  try {
    followers = ctx.getFollowersUri(handle);
  } catch {
    followers = new URL(FOLLOWERS_PATH.replace("{identifier}", handle), ctx.canonicalOrigin);
  }
  const local = report.localReleaseId !== null && new URL(report.releaseIri).origin === ctx.canonicalOrigin;
  return {
    id: new URL(madeNotePath(handle, report.id), ctx.canonicalOrigin),
    design: ctx.getActorUri(handle),
    followers,
    url: local ? new URL(report.releaseIri) : new URL(designMadePath(handle), ctx.canonicalOrigin),
  };
}

/** The design's Note about a build, as served and sent: compact JSON-LD in the wire format. */
export async function madeNoteJsonLd(ctx: Context<FederationDeps>, handle: string, designName: string, report: MadeReportView): Promise<Record<string, unknown>> {
  return await compact(ctx, toMadeNote(report, designName, madeNoteUris(ctx, handle, report)));
}

/**
 * The outbox port of made-here reports. The event goes to every design actor along the chain on
 * another node, each looked up (and cached) through the remote-actors cache with its shared inbox
 * preferred; a design that cannot be looked up now is left out with a log line (the report stays
 * stored here, and counts here). The Note goes to the design's followers, like a project update.
 */
export function createMadeReportPublisher(ctx: Context<FederationDeps>): MadeReportPublisher {
  return {
    async reported(report, subject, reporter): Promise<ActivityDraft[]> {
      const designs = [...new Set(subject.chain.map((link) => link.design))].map((iri) => new URL(iri));
      const recipients: OutboxRecipient[] = [];
      for (const design of designs) {
        if (design.origin === ctx.canonicalOrigin) continue;
        const actor = await resolveRemoteActor(ctx, design).catch((error: unknown) => {
          logger.warning("Could not look up the design {design} to send it the report {report}: {error}", { design: design.href, report: report.iri, error });
          return null;
        });
        if (actor === null) continue;
        recipients.push({ id: actor.iri, inbox: actor.inbox, ...(actor.sharedInbox !== null && { sharedInbox: actor.sharedInbox }) });
      }
      if (recipients.length === 0) return [];
      const activity = toMadeEventCreate(report, {
        id: new URL(report.iri),
        createId: new URL(madeReportCreatePath(report.id), ctx.canonicalOrigin),
        reporter: ctx.getActorUri(reporter.handle),
        designs,
      });
      return [{ sender: reporter.handle, recipients, activity, orderingKey: report.iri }];
    },

    async announced(report, design): Promise<ActivityDraft> {
      const uris = madeNoteUris(ctx, design.handle, report);
      const note = toMadeNote(report, design.name, uris);
      return { sender: design.handle, recipients: "followers", activity: await compact(ctx, toMadeNoteCreate(note, report, uris)), orderingKey: uris.id.href };
    },
  };
}

async function compact(ctx: Context<FederationDeps>, object: Create | Note): Promise<Record<string, unknown>> {
  return toWireFormat((await object.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>);
}
