import type { Context, Federation, PageItems } from "@fedify/fedify";
import { type Activity, Create, Note } from "@fedify/vocab";
import { UUID_PATTERN } from "../server/platform/ids.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { updateNoteJsonLd, updateUris } from "./projects.ts";
import { designAnnouncementNote } from "./designs.ts";
import { findPublicActor } from "./public-actor.ts";
import { toUpdateCreate, toUpdateNote } from "./translate/note.ts";
import { FEATURED_PATH, NOTE_PATH } from "./uris.ts";

export const OUTBOX_PAGE_SIZE = 20;
/** The cursor of an outbox's first (newest) page; later pages start below an update id. */
const FIRST_PAGE = "newest";

/**
 * Project updates as dereferenceable `Note`s (Mastodon fetches them for boosts, replies and pins,
 * announce.rb), and every actor's `featured` collection: a project's pinned update, empty
 * for other actors. A deleted update is not served here: the page route answers 410 for its id.
 */
export function registerProjectObjects(federation: Federation<FederationDeps>): void {
  federation.setObjectDispatcher(Note, NOTE_PATH, async (ctx, values) => {
    if (!UUID_PATTERN.test(values.id)) return null;
    const project = await ctx.data.services.projects.find(values.handle);
    // A design's release announcements share the path (federation/designs.ts).
    if (project === undefined) return await designAnnouncementNote(ctx, values.handle, values.id);
    if (project.handle !== values.handle) return null;
    const update = await ctx.data.services.updates.find(project, values.id);
    if (update === undefined || update.deletedAt !== null) return null;
    // Parsed back from our own JSON-LD so the served document keeps blurhash and focalPoint.
    return await Note.fromJsonLd(await updateNoteJsonLd(ctx, update), { contextLoader: ctx.contextLoader, documentLoader: ctx.documentLoader });
  });

  federation
    .setFeaturedDispatcher(FEATURED_PATH, async (ctx, identifier) => {
      const actor = await findPublicActor(ctx.data.services, identifier);
      if (actor === undefined) return null;
      if (actor.kind !== "group") return { items: [] };
      const updates = await ctx.data.services.updates.pinned({ actorId: actor.id, handle: actor.handle });
      const items = await Promise.all(
        updates.map(async (u) => await Note.fromJsonLd(await updateNoteJsonLd(ctx, u), { contextLoader: ctx.contextLoader, documentLoader: ctx.documentLoader })),
      );
      return { items };
    })
    .setCounter(async (ctx, identifier) => {
      const actor = await findPublicActor(ctx.data.services, identifier);
      if (actor === undefined) return null;
      return actor.kind === "group" ? await ctx.data.services.updates.pinnedCount(actor.id) : 0;
    });
}

/**
 * A page of a project's outbox: the `Create` of each live update, newest first. Mastodon reads only
 * `totalItems` (it never backfills from outboxes, docs/mastodon.md#notes); other servers may page through.
 */
export async function projectOutboxPage(ctx: Context<FederationDeps>, handle: string, cursor: string | null): Promise<PageItems<Activity> | null> {
  const project = await ctx.data.services.projects.find(handle);
  if (project === undefined) return null;
  const before = cursor === null || cursor === FIRST_PAGE ? undefined : cursor;
  if (before !== undefined && !UUID_PATTERN.test(before)) return { items: [] };
  const updates = await ctx.data.services.updates.page(project, { limit: OUTBOX_PAGE_SIZE, before });
  const items: Create[] = updates.map((update) => {
    const uris = updateUris(ctx, handle, update.id);
    return toUpdateCreate(toUpdateNote(update, uris), update, uris);
  });
  const last = updates.at(-1);
  return { items, nextCursor: cursor !== null && updates.length === OUTBOX_PAGE_SIZE && last ? last.id : null };
}

/** A project's outbox starts at its first page; other actors' outboxes are listed inline. */
export async function projectOutboxFirstCursor(ctx: Context<FederationDeps>, handle: string): Promise<string | null> {
  return (await ctx.data.services.actors.byHandle(handle))?.kind === "group" ? FIRST_PAGE : null;
}

export async function projectOutboxCount(ctx: Context<FederationDeps>, handle: string): Promise<number | null> {
  const actor = await ctx.data.services.actors.byHandle(handle);
  if (actor === undefined) return null;
  return actor.kind === "group" ? await ctx.data.services.updates.liveCount(actor.id) : null;
}
