import type { InboxContext } from "@fedify/fedify";
import { isActor, Note, type Object as APObject, type Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { RemoteActor } from "../../server/modules/remote-actors/index.ts";
import { RemotePostDraftSchema } from "../../server/modules/remote-posts/remote-post.schema.ts";
import { NODE_IDENTITY } from "../actors.ts";
import type { FederationDeps } from "../federation-deps.ts";
import { fromRemoteNote } from "../translate/remote-post.ts";
import { guardActivity } from "./guards.ts";
import { storeRemoteActor } from "./remote-actors.ts";

const logger = getLogger(["commonsnet", "inbox", "update"]);

/** Media of an edited post must be embedded, as on Create. */
const noFetch = async (url: string): Promise<never> => {
  throw new Error(`not fetched: ${url}`);
};

/**
 * Remote `Update` (app/lib/activitypub/activity/update.rb): of the actor itself (`object.id` must be the signer)
 * it refreshes the cached profile; of a post we store, only its author's edit with a newer `updated`
 * than the stored version changes it, content through the allowlist. Updates of unknown actors or
 * posts are ignored (we cache only what we use).
 */
export async function onUpdate(ctx: InboxContext<FederationDeps>, update: Update): Promise<void> {
  const guarded = guardActivity(update, logger);
  const objectIri = update.objectId;
  if (guarded === null || objectIri === null) return;
  if (objectIri.origin !== guarded.actor.origin) {
    logger.warning("Ignored Update {id}: {object} is not on its actor's origin", { id: guarded.id.href, object: objectIri.href });
    return;
  }
  const known = await ctx.data.services.remoteActors.byIri(guarded.actor.href);
  if (known === undefined || known.deletedAt !== null) {
    logger.debug("Ignored Update {id}: we store nothing of {actor}", { id: guarded.id.href, actor: guarded.actor.href });
    return;
  }
  let object: APObject | null;
  try {
    object = await update.getObject({ documentLoader: await ctx.getDocumentLoader(NODE_IDENTITY), contextLoader: ctx.contextLoader });
  } catch (error) {
    logger.info("Ignored Update {id}: its object could not be loaded: {error}", { id: guarded.id.href, error });
    return;
  }
  if (object === null || object.id?.href !== objectIri.href) return;
  if (isActor(object)) {
    if (object.id?.href !== guarded.actor.href) {
      logger.warning("Ignored Update {id}: an actor may only update itself", { id: guarded.id.href });
      return;
    }
    const stored = await storeRemoteActor(ctx, object);
    logger.info("Update {id}: profile of {actor} refreshed", { id: guarded.id.href, actor: stored?.handle ?? guarded.actor.href });
    return;
  }
  if (object instanceof Note) await editPost(ctx, guarded.id, known, object);
  else logger.debug("Ignored Update {id} of a {type}", { id: guarded.id.href, type: object.constructor.name });
}

async function editPost(ctx: InboxContext<FederationDeps>, id: URL, author: RemoteActor, note: Note): Promise<void> {
  const iri = note.id!.href;
  const version = await ctx.data.services.remotePosts.version(iri);
  if (version === undefined || version.deletedAt !== null) {
    logger.info("Ignored Update {id}: {object} is not a post we keep", { id: id.href, object: iri });
    return;
  }
  if (version.authorRemoteActorId !== author.id || note.attributionIds.some((a) => a.href !== author.iri)) {
    logger.warning("Ignored Update {id}: {actor} is not the author of {object}", { id: id.href, actor: author.iri, object: iri });
    return;
  }
  if (note.updated === null) {
    logger.info("Ignored Update {id}: no `updated`, so not an edit (Mastodon's rule)", { id: id.href });
    return;
  }
  const draft = await fromRemoteNote(note, { authorRemoteActorId: author.id, replyToNoteId: null }, { documentLoader: noFetch, contextLoader: ctx.contextLoader });
  const parsed = RemotePostDraftSchema.safeParse(draft);
  if (!parsed.success) {
    logger.warning("Ignored Update {id}: {issues}", { id: id.href, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
    return;
  }
  const { contentHtml, summary, sensitive, attachments, url } = parsed.data;
  const editedAt = new Date(note.updated.epochMilliseconds);
  const edited = await ctx.data.services.remotePosts.editIfNewer(iri, author.id, { contentHtml, summary, sensitive, attachments, url, editedAt });
  logger.info("Update {id}: {object} {outcome}", { id: id.href, object: iri, outcome: edited ? "edited" : "not newer than what we have" });
}
