import type { Context } from "@fedify/fedify";
import { isActor, type Note } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { MemberNote } from "../server/modules/notes/index.ts";
import type { ActivityDraft } from "../server/modules/outbox/index.ts";
import type { ReplyParent, ReplyPort } from "../server/modules/replies/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { resolveRemoteActor } from "./inbox/remote-actors.ts";
import { type MemberNoteUris, type MentionedAuthor, toMemberNote, toMemberNoteCreate } from "./translate/member-note.ts";
import { FOLLOWERS_PATH, memberNoteCreatePath, memberNotePath } from "./uris.ts";

const logger = getLogger(["commonsnet", "replies"]);

export function memberNoteUris(ctx: Context<FederationDeps>, handle: string, id: string): MemberNoteUris {
  let followers: URL;
  try {
    followers = ctx.getFollowersUri(handle);
  } catch {
    followers = new URL(FOLLOWERS_PATH.replace("{identifier}", handle), ctx.canonicalOrigin);
  }
  return { id: new URL(memberNotePath(handle, id), ctx.canonicalOrigin), person: ctx.getActorUri(handle), followers };
}

/**
 * A member's reply as served at its IRI (an `application/activity+json` GET): the parent's author is
 * known when we stored the parent post. A deleted reply is not served (its page answers 410).
 */
export async function loadMemberNoteObject(ctx: Context<FederationDeps>, handle: string, id: string): Promise<Note | null | "gone"> {
  const note = await ctx.data.services.replies.find(handle, id);
  if (note === undefined) return null;
  if (note.deletedAt !== null) return "gone";
  const parent = await ctx.data.services.remotePosts.byIri(note.inReplyToIri);
  return toMemberNote(note, memberNoteUris(ctx, handle, id), parent === undefined ? null : parent.author);
}

/**
 * The reply port (server/modules/replies/replies.ts): a parent we did not store is looked up with a
 * GET signed by the member and must be attributed to an actor on its own host (fetch_remote_status_service.rb).
 * The `Create` goes to the parent's author as an explicit recipient (its shared inbox preferred)
 * and to the member's followers.
 */
export function createReplyPort(ctx: Context<FederationDeps>): ReplyPort {
  return {
    isLocal: (iri) => new URL(iri).origin === ctx.canonicalOrigin,

    async resolveParent(member, iri) {
      try {
        const documentLoader = await ctx.getDocumentLoader({ identifier: member.handle });
        const object = await ctx.lookupObject(iri, { documentLoader, contextLoader: ctx.contextLoader });
        if (object === null || isActor(object) || object.id === null) return null;
        const authorIri = object.attributionIds[0];
        if (authorIri === undefined || authorIri.host !== object.id.host) return null;
        const author = await resolveRemoteActor(ctx, authorIri);
        return author === null ? null : { iri: object.id.href, author };
      } catch (error) {
        logger.info("Could not look up the post {iri}: {error}", { iri, error });
        return null;
      }
    },

    async buildCreate(member, note: MemberNote, parent: ReplyParent): Promise<ActivityDraft[]> {
      const uris = memberNoteUris(ctx, member.handle, note.id);
      const mentioned: MentionedAuthor = parent.author;
      const object = toMemberNote(note, uris, mentioned);
      const createId = new URL(memberNoteCreatePath(member.handle, note.id), ctx.canonicalOrigin);
      const create = toMemberNoteCreate(object, createId, uris, note.publishedAt);
      const activity = (await create.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
      const { author } = parent;
      const toAuthor = { id: author.iri, inbox: author.inbox, ...(author.sharedInbox !== null && { sharedInbox: author.sharedInbox }) };
      return [
        { sender: member.handle, recipients: [toAuthor], activity, orderingKey: uris.id.href },
        { sender: member.handle, recipients: "followers", activity, orderingKey: uris.id.href },
      ];
    },
  };
}
