import type { Context } from "@fedify/fedify";
import { type Activity, Note, Service } from "@fedify/vocab";
import type { DbOrTrx } from "../server/db/database.ts";
import { uuidv7 } from "../server/platform/ids.ts";
import { type DesignPublisher, type DesignView, previewUrlOf, type ReleaseAnnouncement, type ReleaseView } from "../server/modules/designs/index.ts";
import type { ActivityDraft } from "../server/modules/outbox/index.ts";
import { listFollowingPeers } from "../server/modules/peers/index.ts";
import { tagBaseUrl } from "../server/modules/projects/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toWireFormat } from "./signing/wire-format.ts";
import {
  type AnnouncementUris,
  type DesignUris,
  type ReleaseUris,
  toAnnouncementCreate,
  toAnnouncementNote,
  toDesignService,
  toReleaseCreate,
  toReleaseObject,
  toServiceUpdate,
  withDesignExtensions,
} from "./translate/design.ts";
import {
  actorPagePath,
  designForksPath,
  designMadePath,
  FOLLOWERS_PATH,
  notePath,
  profileUpdateActivityPath,
  releaseArchivePath,
  releaseCreateActivityPath,
  releaseManifestPath,
  releasePath,
  releasesPath,
} from "./uris.ts";

/** A design's URIs; `currentRelease` is the newest release's, when it has one. */
export function designUris(ctx: Context<FederationDeps>, design: Pick<DesignView, "handle" | "project">, currentVersion: string | null): DesignUris {
  const at = (path: string) => new URL(path, ctx.canonicalOrigin);
  return {
    id: ctx.getActorUri(design.handle),
    url: at(actorPagePath(design.handle)),
    inbox: ctx.getInboxUri(design.handle),
    outbox: ctx.getOutboxUri(design.handle),
    followers: at(FOLLOWERS_PATH.replace("{identifier}", design.handle)),
    sharedInbox: ctx.getInboxUri(),
    forks: at(designForksPath(design.handle)),
    made: at(designMadePath(design.handle)),
    releases: at(releasesPath(design.handle)),
    tagBase: tagBaseUrl(new URL(ctx.canonicalOrigin)),
    project: design.project === null ? null : ctx.getActorUri(design.project.handle),
    currentRelease: currentVersion === null ? null : at(releasePath(design.handle, currentVersion)),
  };
}

/** The design's actor document as compact JSON-LD with its repository extensions (docs/designs.md#the-design-actor). */
async function designActorJsonLd(ctx: Context<FederationDeps>, design: DesignView, currentVersion?: string): Promise<{ json: Record<string, unknown>; service: Service }> {
  const { designs } = ctx.data.services;
  const [maintainers, latest, keys] = await Promise.all([designs.maintainers(design), designs.latestReleases([design]), ctx.getActorKeyPairs(design.handle)]);
  const uris = designUris(ctx, design, currentVersion ?? latest.get(design.actorId)?.version ?? null);
  const service = toDesignService(design, uris, maintainers.map((m) => ctx.getActorUri(m.handle)), keys);
  const compact = (await service.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
  return { json: withDesignExtensions(compact, design, uris), service };
}

/**
 * The design as the `Service` its dispatcher returns. Parsed back from our own JSON-LD: Fedify then
 * serves that document as it is (a parsed object keeps its source), extensions included, which a
 * `Service` built in code would drop.
 */
export async function buildDesignService(ctx: Context<FederationDeps>, design: DesignView): Promise<Service> {
  const { json } = await designActorJsonLd(ctx, design);
  return await Service.fromJsonLd(json, { contextLoader: ctx.contextLoader, documentLoader: ctx.documentLoader });
}

export function announcementUris(ctx: Context<FederationDeps>, handle: string, noteId: string): AnnouncementUris {
  return {
    id: new URL(notePath(handle, noteId), ctx.canonicalOrigin),
    design: ctx.getActorUri(handle),
    followers: new URL(FOLLOWERS_PATH.replace("{identifier}", handle), ctx.canonicalOrigin),
    tagBase: tagBaseUrl(new URL(ctx.canonicalOrigin)),
  };
}

function previewsOf(ctx: Context<FederationDeps>, release: ReleaseView) {
  const origin = new URL(ctx.canonicalOrigin);
  return release.files.flatMap((file) => {
    const url = previewUrlOf(origin, release, file);
    return url === null || file.preview === null ? [] : [{ name: file.name, url, width: file.preview.width, height: file.preview.height }];
  });
}

/** A design's release announcement as its Note dispatcher serves it (`/@{handle}/updates/{id}`); null for anything else. */
export async function designAnnouncementNote(ctx: Context<FederationDeps>, handle: string, id: string): Promise<Note | null> {
  const found = await ctx.data.services.designs.announcement(handle, id);
  if (found === undefined || found.design.handle !== handle) return null;
  const note = buildAnnouncementNote(ctx, found.design, found.release, found.announcement);
  // Served in the wire format, as sent (attachment an array, the public audience spelled out): a
  // parsed object keeps its source, which Fedify serves as it is.
  const json = toWireFormat((await note.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>);
  return await Note.fromJsonLd(json, { contextLoader: ctx.contextLoader, documentLoader: ctx.documentLoader });
}

/** How many release announcements a design's outbox lists (inline, newest first; Mastodon reads only `totalItems`). */
const OUTBOX_ANNOUNCEMENTS = 20;

/** A design's outbox: the `Create` of its newest release announcements. */
export async function designOutboxItems(ctx: Context<FederationDeps>, handle: string): Promise<Activity[] | null> {
  const { designs } = ctx.data.services;
  const design = await designs.find(handle);
  if (design === undefined) return null;
  const releases = (await designs.releases(handle)).sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).slice(0, OUTBOX_ANNOUNCEMENTS);
  const items: Activity[] = [];
  for (const release of releases) {
    const found = await designs.announcement(handle, release.id);
    if (found === undefined) continue;
    const note = buildAnnouncementNote(ctx, design, release, found.announcement);
    items.push(toAnnouncementCreate(note, announcementUris(ctx, handle, release.id), found.announcement.publishedAt));
  }
  return items;
}

/** A release's announcement Note, as served and as embedded in its Create. */
export function buildAnnouncementNote(ctx: Context<FederationDeps>, design: DesignView, release: ReleaseView, announcement: ReleaseAnnouncement): Note {
  return toAnnouncementNote(announcement, release, previewsOf(ctx, release), design.tags, announcementUris(ctx, design.handle, announcement.id));
}

export function releaseUris(ctx: Context<FederationDeps>, design: Pick<DesignView, "handle">, release: ReleaseView): ReleaseUris {
  const at = (path: string) => new URL(path, ctx.canonicalOrigin);
  return {
    design: ctx.getActorUri(design.handle),
    manifest: at(releaseManifestPath(design.handle, release.version, "toml")),
    manifestJsonLd: at(releaseManifestPath(design.handle, release.version, "jsonld")),
    archive: at(releaseArchivePath(design.handle, release.version)),
    previews: new Map(previewsOf(ctx, release).map((p) => [p.name, p.url])),
  };
}

/** The `Release` object served at the release's URL to ActivityPub clients. */
export function releaseJsonLd(ctx: Context<FederationDeps>, design: DesignView, release: ReleaseView): Record<string, unknown> {
  return toWireFormat(toReleaseObject(design, release, releaseUris(ctx, design, release)));
}

/**
 * The outbox ports of designs: an edit becomes an `Update(Service)` to followers; a release becomes
 * a `Create(Note)` to followers and the public (Mastodon shows it in the home timeline) and a
 * `Create(Release)` from the design to the peer nodes that follow this node's actor (other
 * Commonsnet nodes, which read the Release; Mastodon would only drop it).
 */
export function createDesignPublisher(ctx: Context<FederationDeps>): DesignPublisher {
  return {
    async profileUpdated(design, options = {}) {
      const { json: actor, service } = await designActorJsonLd(ctx, design, options.currentVersion);
      const uris = designUris(ctx, design, null);
      const id = new URL(profileUpdateActivityPath(design.handle, uuidv7()), ctx.canonicalOrigin);
      const update = (await toServiceUpdate(service, id, uris.followers, design.updatedAt).toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
      // The embedded actor carries its repository extensions, as it is served.
      const { "@context": actorContext, ...object } = actor;
      const activity = { ...update, "@context": actorContext, object };
      return { sender: design.handle, recipients: "followers", activity: toWireFormat(activity), orderingKey: uris.id.href };
    },

    async released(design: DesignView, release: ReleaseView, announcement: ReleaseAnnouncement, trx: DbOrTrx): Promise<ActivityDraft[]> {
      const uris = announcementUris(ctx, design.handle, announcement.id);
      const note = buildAnnouncementNote(ctx, design, release, announcement);
      const create: Activity = toAnnouncementCreate(note, uris, announcement.publishedAt);
      const drafts: ActivityDraft[] = [
        {
          sender: design.handle,
          recipients: "followers",
          activity: toWireFormat((await create.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>),
          orderingKey: uris.id.href,
        },
      ];
      const peers = await listFollowingPeers(trx);
      if (peers.length > 0) {
        const recipients = peers.map((p) => ({ id: p.actorIri, inbox: p.inbox, ...(p.sharedInbox !== null && { sharedInbox: p.sharedInbox }) }));
        const id = new URL(releaseCreateActivityPath(design.handle, release.version), ctx.canonicalOrigin);
        const activity = toReleaseCreate(design, release, releaseUris(ctx, design, release), id, peers.map((p) => new URL(p.actorIri)));
        drafts.push({ sender: design.handle, recipients, activity: toWireFormat(activity), orderingKey: release.iri });
      }
      return drafts;
    },
  };
}
