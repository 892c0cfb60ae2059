import { AS, PUBLIC } from "./mastodon-documents.ts";

/**
 * What Mastodon checks before it accepts a remote actor or shows a delivered activity, as predicates
 * that return Mastodon's reason for refusing (or an empty list). Each rule names its Mastodon source
 * file (docs/mastodon.md has them together); the fake refuses what Mastodon refuses, and records the rest as `problems`.
 */

const ACTOR_TYPES = ["Application", "Group", "Organization", "Person", "Service"];
/** account.rb:75-78 USERNAME_ONLY_RE. */
export const USERNAME_RE = /^[a-z0-9_]+([.-]+[a-z0-9_]+)*$/i;
const SUPPORTED_OBJECTS = ["Note", "Question"];
const CONVERTED_OBJECTS = ["Image", "Audio", "Video", "Article", "Page", "Event"];
/** media_attachment.rb:64-68 (images and the common video types). */
const MEDIA_TYPES = /^(image\/(jpeg|png|gif|heic|heif|webp|avif)|video\/(webm|mp4|quicktime|ogg)|audio\/.+)$/;

type Json = Record<string, unknown>;

export function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/** A value that is an IRI string or an object with `id` (json_ld_helper.rb `value_or_id`). */
export function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as Json).id === "string") return (value as Json).id as string;
  return undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const host = (iri: string | undefined) => (iri === undefined ? undefined : new URL(iri).host);

/** What FetchRemoteActorService / ProcessAccountService require of an actor document. */
export function actorDocumentProblems(document: Json, url: string): string[] {
  const problems: string[] = [];
  const context = asArray(document["@context"]);
  if (!context.includes(AS)) problems.push(`@context does not include ${AS} (json_ld_helper.rb:87-89)`);
  if (document.id !== url) problems.push(`id ${String(document.id)} is not the URL fetched, ${url}`);
  if (!asArray(document.type).some((t) => ACTOR_TYPES.includes(String(t)))) problems.push(`type ${JSON.stringify(document.type)} is not an actor type Mastodon supports`);
  const username = document.preferredUsername;
  if (typeof username !== "string" && typeof document.webfinger !== "string") problems.push("no preferredUsername (or FEP-2c59 webfinger)");
  if (typeof username === "string" && !USERNAME_RE.test(username)) problems.push(`preferredUsername ${username} does not match Mastodon's USERNAME_ONLY_RE`);
  if (!isHttpUrl(idOf(asArray(document.inbox)[0]))) problems.push("inbox is missing or not http(s)");
  for (const key of asArray(document.publicKey) as Json[]) {
    if (key?.owner !== document.id) problems.push(`publicKey ${String(key?.id)} has owner ${String(key?.owner)}, not the actor id`);
  }
  for (const field of ["icon", "image"]) {
    const value = asArray(document[field])[0];
    if (value !== undefined && (typeof value !== "object" || (value as Json).type !== "Image")) problems.push(`${field} is not an Image object (process_account_service.rb:352-377)`);
  }
  if (document.attachment !== undefined && !Array.isArray(document.attachment)) problems.push("attachment is not an array: profile fields are dropped");
  const profile = asArray(document.url).map(idOf).find((u) => u !== undefined) ?? (typeof document.url === "string" ? document.url : undefined);
  if (profile !== undefined && host(profile) !== host(String(document.id))) problems.push(`url ${profile} is on another host than the id: Mastodon ignores it`);
  return problems;
}

/** create.rb and status_parser.rb: what Mastodon needs of a Note (or Question) delivered in a Create or Update. */
export function noteProblems(activity: Json, object: Json): string[] {
  const problems: string[] = [];
  const actor = idOf(activity.actor);
  const type = String(object.type);
  if (!SUPPORTED_OBJECTS.includes(type) && !CONVERTED_OBJECTS.includes(type)) problems.push(`object type ${type} is rejected (activity.rb:86-96)`);
  if (CONVERTED_OBJECTS.includes(type)) problems.push(`object type ${type} is converted: content is discarded (status_parser.rb:48-56)`);
  if (typeof object.id !== "string" || host(object.id) !== host(actor)) problems.push(`object id ${String(object.id)} is not on the actor's host (create.rb:18)`);
  if (idOf(asArray(object.attributedTo)[0]) !== actor) problems.push(`attributedTo ${JSON.stringify(object.attributedTo)} is not the actor ${actor} (create.rb)`);
  if (typeof object.published !== "string") problems.push("no published: the post is dated at receipt");
  if (typeof object.content !== "string" && typeof object.contentMap !== "object") problems.push("no content or contentMap");
  if (object.contentMap !== undefined && (typeof object.contentMap !== "object" || Object.keys(object.contentMap as Json).length === 0)) problems.push("contentMap is empty");
  if (typeof object.summary === "string" && /<[a-z]/i.test(object.summary)) problems.push("summary (content warning) holds HTML: Mastodon shows it as escaped text");
  const audience = [...asArray(object.to), ...asArray(object.cc)];
  if (!audience.some((a) => a === PUBLIC || a === "as:Public" || a === "Public")) problems.push("not public: neither to nor cc has Public");
  const attachments = asArray(object.attachment) as Json[];
  if (attachments.length > 4) problems.push(`${attachments.length} attachments: Mastodon keeps 4 (status.rb:62)`);
  for (const [i, media] of attachments.entries()) {
    if (media.href !== undefined) problems.push(`attachment ${i} has href: ≤ 4.6 skips it, 4.7 makes it a link card (media_attachment_parser.rb)`);
    const url = idOf(asArray(media.url)[0]) ?? (asArray(media.url)[0] as Json | undefined)?.href;
    if (!isHttpUrl(url)) problems.push(`attachment ${i} has no http(s) url`);
    if (typeof media.mediaType === "string" && !MEDIA_TYPES.test(media.mediaType)) problems.push(`attachment ${i} mediaType ${media.mediaType} is not one Mastodon downloads`);
    if (typeof media.blurhash === "string" && !/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/.test(media.blurhash)) problems.push(`attachment ${i} blurhash is malformed`);
  }
  if (activity.type === "Update" && typeof object.updated !== "string") problems.push("Update without updated: Mastodon treats it as an implicit update and keeps the old text (process_status_update_service.rb)");
  return problems;
}

/** What Mastodon's inbox would make of a verified delivery from `signer` (the key's owner). */
export function activityProblems(activity: Json, signer: string | undefined, following: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const actor = idOf(activity.actor);
  if (actor === undefined) return ["no actor"];
  if (signer !== undefined && actor !== signer) {
    problems.push(`actor ${actor} is not the signer ${signer}: dropped with 202 unless LD-signed (process_activity_service.rb:36-58)`);
  }
  if (typeof activity.id !== "string" || host(activity.id) !== host(actor)) problems.push(`activity id ${String(activity.id)} is not on the actor's host`);
  const object = activity.object;
  switch (activity.type) {
    case "Create":
    case "Update":
      if (typeof object === "object" && object !== null && !asArray((object as Json).type).some((t) => ACTOR_TYPES.includes(String(t)))) {
        problems.push(...noteProblems(activity, object as Json));
        if (activity.type === "Create" && !following.has(actor)) problems.push(`no local follower of ${actor}: the post is not related to local activity (create.rb:464-485)`);
      } else if (typeof object !== "object" || object === null) {
        problems.push(`${activity.type} with a bare object id: Mastodon has to fetch it (activity.rb)`);
      } else if (idOf(object) !== actor) {
        problems.push(`Update of actor ${idOf(object)} by ${actor}: object.id must be the signer (update.rb:12-13)`);
      }
      break;
    case "Delete":
      if (idOf(object) === undefined) problems.push("Delete without an object id");
      break;
    case "Announce":
      if (idOf(object) === undefined) problems.push("Announce without an object id");
      if (typeof object === "object" && (object as Json)?.type === "Create") problems.push("Announce{Create}: Mastodon must fetch the Create's id (announce.rb)");
      break;
    case "Accept":
    case "Reject":
      if (idOf(object) === undefined) problems.push(`${String(activity.type)} without the Follow (id or embedded object)`);
      break;
  }
  return problems;
}
