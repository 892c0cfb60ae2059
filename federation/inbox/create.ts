import { type Context, type DocumentLoader, FetchError, type InboxContext } from "@fedify/fedify";
import { type Create, Note } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { NODE_IDENTITY } from "../actors.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { fromRemoteNote, isPollVote } from "../translate/remote-post.ts";
import { guardActivity } from "./guards.ts";
import { resolveRemoteActor } from "./remote-actors.ts";

const logger = getLogger(["commonsnet", "inbox", "create"]);

/** Our notes: project updates and members' replies (federation/uris.ts NOTE_PATH, MEMBER_NOTE_PATH). */
const LOCAL_NOTE_PATH = /^\/@([^/]+)\/(?:updates|notes)\/([^/?#]+)$/;

/** Attachments given only by IRI are not fetched: media must be embedded (as Mastodon sends it). */
const noFetch: DocumentLoader = (url) => Promise.reject(new FetchError(url, "Attachments are not fetched"));

/**
 * Inbound `Create(Note)`, routed by `inReplyTo` (docs/mastodon.md#replies): a reply to one of our notes
 * is kept as its comment; a post by an account one of our members follows is kept for timelines;
 * anything else is ignored. The object must be on its actor's host and attributed to that actor
 * (create.rb; docs/security.md#origins, ORI-01/02); the stored author is always the verified actor. A deleted
 * IRI is never created again and a repeated delivery stores nothing.
 */
export async function onCreate(ctx: InboxContext<FederationDeps>, create: Create): Promise<void> {
  const guarded = guardActivity(create, logger);
  if (guarded === null) return;
  const objectId = create.objectId;
  if (objectId === null || objectId.host !== guarded.actor.host) {
    logger.warning("Ignored Create {id}: its object {object} is not on its actor's host", { id: guarded.id.href, object: objectId?.href });
    return;
  }
  const note = await receivedNote(ctx, create, guarded.id);
  if (note === null) return;
  if (note.attributionIds.length === 0 || note.attributionIds.some((a) => a.href !== guarded.actor.href)) {
    logger.warning("Ignored Create {id}: attributedTo is not its actor {actor}", { id: guarded.id.href, actor: guarded.actor.href });
    return;
  }
  if (isPollVote(note)) {
    logger.info("Ignored Create {id}: a poll vote, and polls are not supported yet", { id: guarded.id.href });
    return;
  }
  const replyToNoteId = await localNoteOf(ctx, note.replyTargetId);
  if (replyToNoteId === null && !(await isFollowedActor(ctx, guarded.actor))) {
    logger.info("Ignored Create {id}: neither a reply to our notes nor by an account our members follow", { id: guarded.id.href });
    return;
  }
  const author = await resolveRemoteActor(ctx, guarded.actor);
  if (author === null) {
    logger.info("Ignored Create {id}: its actor {actor} could not be resolved", { id: guarded.id.href, actor: guarded.actor.href });
    return;
  }
  const draft = await fromRemoteNote(note, { authorRemoteActorId: author.id, replyToNoteId }, { documentLoader: noFetch, contextLoader: ctx.contextLoader });
  const result = await ctx.data.services.remotePosts.receive(draft);
  if (result.outcome === "invalid") logger.warning("Ignored Create {id}: {reason}", { id: guarded.id.href, reason: result.reason });
  else logger.info("Create {id} from {author}: {outcome}", { id: guarded.id.href, author: author.handle, outcome: result.outcome });
}

/** The Create's Note: embedded (same origin, so Fedify keeps it) or fetched from its origin with a signed GET. */
async function receivedNote(ctx: InboxContext<FederationDeps>, create: Create, id: URL): Promise<Note | null> {
  let object: unknown;
  try {
    const documentLoader = await ctx.getDocumentLoader(NODE_IDENTITY);
    object = await create.getObject({ documentLoader, contextLoader: ctx.contextLoader });
  } catch (error) {
    logger.info("Ignored Create {id}: its object could not be loaded: {error}", { id: id.href, error });
    return null;
  }
  if (!(object instanceof Note) || object.id === null || object.id.href !== create.objectId?.href) {
    logger.info("Ignored Create {id}: its object is not a Note", { id: id.href });
    return null;
  }
  return object;
}

/** The id of the live local note an IRI names (a project update or a member's note), else null. */
export async function localNoteOf(ctx: Context<FederationDeps>, iri: URL | null): Promise<string | null> {
  if (iri === null || iri.origin !== ctx.canonicalOrigin || iri.search !== "" || iri.hash !== "") return null;
  const match = LOCAL_NOTE_PATH.exec(iri.pathname);
  if (match === null) return null;
  const [, handle, id] = match as unknown as [string, string, string];
  return (await ctx.data.services.updates.isLive(handle, id)) ? id : null;
}

/** Whether a member follows the actor (accepted). An actor we never cached cannot be followed. */
async function isFollowedActor(ctx: Context<FederationDeps>, actor: URL): Promise<boolean> {
  const cached = await ctx.data.services.remoteActors.byIri(actor.href);
  return cached !== undefined && cached.deletedAt === null && (await ctx.data.services.following.isFollowedByAnyMember(cached.id));
}
