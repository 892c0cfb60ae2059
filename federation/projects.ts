import type { Context } from "@fedify/fedify";
import type { Activity, Group, Note } from "@fedify/vocab";
import { uuidv7 } from "../server/platform/ids.ts";
import type { ProjectUpdate, UpdatePublisher } from "../server/modules/notes/update.service.ts";
import type { ActivityDraft } from "../server/modules/outbox/index.ts";
import { type ProjectPublisher, type ProjectView, tagBaseUrl } from "../server/modules/projects/project.service.ts";
import { createDirectoryPublisher } from "./directory-publisher.ts";
import { toWireFormat } from "./signing/wire-format.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toFeaturedChange, toUpdateCreate, toUpdateDelete, toUpdateEdit, toUpdateNote, type UpdateUris, withMastodonMediaFields } from "./translate/note.ts";
import { type ProjectUris, toGroupUpdate, toProjectGroup } from "./translate/project.ts";
import { FEATURED_PATH, FOLLOWERS_PATH, actorPagePath, notePath, profileUpdateActivityPath } from "./uris.ts";

/**
 * A project's URIs. The followers collection has its own dispatcher (federation/followers.ts); its
 * URI is the same template either way, so the actor names it even before that is registered.
 */
export function projectUris(ctx: Context<FederationDeps>, handle: string): ProjectUris {
  return {
    id: ctx.getActorUri(handle),
    url: new URL(actorPagePath(handle), ctx.canonicalOrigin),
    inbox: ctx.getInboxUri(handle),
    outbox: ctx.getOutboxUri(handle),
    followers: orElse(() => ctx.getFollowersUri(handle), FOLLOWERS_PATH, handle, ctx),
    featured: orElse(() => ctx.getFeaturedUri(handle), FEATURED_PATH, handle, ctx),
    sharedInbox: ctx.getInboxUri(),
    tagBase: tagBaseUrl(new URL(ctx.canonicalOrigin)),
  };
}

export function updateUris(ctx: Context<FederationDeps>, handle: string, id: string): UpdateUris {
  const project = projectUris(ctx, handle);
  return {
    id: new URL(notePath(handle, id), ctx.canonicalOrigin),
    group: project.id,
    followers: project.followers,
    featured: project.featured,
    tagBase: project.tagBase,
  };
}

export async function buildProjectGroup(ctx: Context<FederationDeps>, project: ProjectView): Promise<Group> {
  const keys = await ctx.getActorKeyPairs(project.handle);
  return toProjectGroup(project, projectUris(ctx, project.handle), keys);
}

/** A project update's Note as served and embedded: compact JSON-LD with Mastodon's media fields. */
export async function updateNoteJsonLd(ctx: Context<FederationDeps>, update: ProjectUpdate): Promise<Record<string, unknown>> {
  const note = toUpdateNote(update, updateUris(ctx, update.projectHandle, update.id));
  return withMastodonMediaFields(await compact(ctx, note), update);
}

/**
 * The outbox ports of projects and their updates: each change becomes one draft to the project's
 * followers, ordered per object (Create before Update before Delete of one note).
 */
export function createProjectPublisher(ctx: Context<FederationDeps>): ProjectPublisher & UpdatePublisher {
  const directory = createDirectoryPublisher(ctx);
  const draft = (handle: string, activity: Record<string, unknown>, orderingKey: URL): ActivityDraft => ({
    sender: handle,
    recipients: "followers",
    activity,
    orderingKey: orderingKey.href,
  });
  const noteActivity = async (update: ProjectUpdate, build: (uris: UpdateUris) => Activity) => {
    const uris = updateUris(ctx, update.projectHandle, update.id);
    const json = withMastodonMediaFields(await compact(ctx, build(uris)), update);
    return draft(update.projectHandle, json, uris.id);
  };
  return {
    async profileUpdated(project) {
      const uris = projectUris(ctx, project.handle);
      const group = await buildProjectGroup(ctx, project);
      const id = new URL(profileUpdateActivityPath(project.handle, uuidv7()), ctx.canonicalOrigin);
      return draft(project.handle, await compact(ctx, toGroupUpdate(group, id, uris.followers, project.updatedAt)), uris.id);
    },
    directoryChanged: (change, trx) => directory.changed(change, trx),
    created: (update) => noteActivity(update, (uris) => toUpdateCreate(toUpdateNote(update, uris), update, uris)),
    edited: (update) => noteActivity(update, (uris) => toUpdateEdit(toUpdateNote(update, uris), update, uris)),
    deleted: (update) => noteActivity(update, (uris) => toUpdateDelete(update, uris)),
    pinned: (update) => noteActivity(update, (uris) => toFeaturedChange("add", update, uris, update.pinnedAt ?? new Date())),
    unpinned: (update, at) => noteActivity(update, (uris) => toFeaturedChange("remove", update, uris, at)),
  };
}

/** Compact JSON-LD in the wire format (the public audience spelled out), as stored, served and sent. */
async function compact(ctx: Context<FederationDeps>, object: Activity | Group | Note): Promise<Record<string, unknown>> {
  return toWireFormat((await object.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>);
}

function orElse(get: () => URL, template: string, handle: string, ctx: Context<FederationDeps>): URL {
  try {
    return get();
  } catch {
    return new URL(template.replace("{identifier}", handle), ctx.canonicalOrigin);
  }
}
