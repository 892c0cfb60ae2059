import type { Context, Federation } from "@fedify/fedify";
import type { Person } from "@fedify/vocab";
import type { MemberProfile } from "../server/modules/accounts/index.ts";
import type { ActivityDraft } from "../server/modules/outbox/index.ts";
import { uuidv7 } from "../server/platform/ids.ts";
import { mediaUrl } from "../server/modules/media/media-url.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { type PersonUris, toPersonActor, toPersonUpdate } from "./translate/person.ts";
import { FOLLOWERS_PATH, actorPagePath, profileUpdateActivityPath } from "./uris.ts";

/**
 * A member's URIs. The followers collection is served by its own dispatcher; the URI is the same
 * template either way, so the actor names it even before that dispatcher is registered. `following`
 * is named only when a following collection is served.
 */
export function personUris(ctx: Context<FederationDeps>, profile: MemberProfile): PersonUris {
  const { handle } = profile;
  return {
    id: ctx.getActorUri(handle),
    url: new URL(actorPagePath(handle), ctx.canonicalOrigin),
    inbox: ctx.getInboxUri(handle),
    outbox: ctx.getOutboxUri(handle),
    followers: orUndefined(() => ctx.getFollowersUri(handle)) ?? new URL(FOLLOWERS_PATH.replace("{identifier}", handle), ctx.canonicalOrigin),
    following: orUndefined(() => ctx.getFollowingUri(handle)),
    sharedInbox: ctx.getInboxUri(),
    avatar: profile.avatar === null ? undefined : new URL(mediaUrl(new URL(ctx.canonicalOrigin), profile.avatar.id)),
  };
}

export async function buildPersonActor(ctx: Context<FederationDeps>, profile: MemberProfile): Promise<Person> {
  const keys = await ctx.getActorKeyPairs(profile.handle);
  return toPersonActor(profile, personUris(ctx, profile), keys);
}

/**
 * The outbox draft announcing a member's edited profile to their followers (the
 * `ProfileUpdatePublisher` port of server/modules/accounts/profile.ts).
 */
export async function buildPersonUpdateDraft(
  federation: Federation<FederationDeps>,
  deps: FederationDeps,
  profile: MemberProfile,
): Promise<ActivityDraft> {
  const ctx = federation.createContext(deps.config.publicUrl, deps);
  const person = await buildPersonActor(ctx, profile);
  const uris = personUris(ctx, profile);
  const id = new URL(profileUpdateActivityPath(profile.handle, uuidv7()), ctx.canonicalOrigin);
  const update = toPersonUpdate(person, id, uris.followers, profile.updatedAt);
  const activity = (await update.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
  return { sender: profile.handle, recipients: "followers", activity, orderingKey: uris.id.href };
}

function orUndefined(get: () => URL): URL | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/** The `ProfileUpdatePublisher` port for the routes that edit a member's profile. */
export function personUpdatePublisher(federation: Federation<FederationDeps>, deps: FederationDeps): (profile: MemberProfile) => Promise<ActivityDraft> {
  // Not copied: the services are attached to these deps after this publisher is made.
  return (profile) => buildPersonUpdateDraft(federation, deps, profile);
}
