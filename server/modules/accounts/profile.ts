import type { Db, DbOrTrx } from "../../db/database.ts";
import { notFound } from "../../platform/errors.ts";
import { updateActorProfile } from "../actors/index.ts";
import { attachProfileImage, detachProfileImage, findMediaForOwner } from "../media/media.service.ts";
import { commitWithActivities } from "../outbox/index.ts";
import type { ActivityDraft } from "../outbox/index.ts";
import type { ProfileInput } from "./account.schemas.ts";
import { findMemberProfileByAccountId, type MemberProfile } from "./member-profile.repository.ts";

/**
 * The outbox port for profile edits: federation/ translates the edited profile to an
 * `Update(Person)` draft. Called before the transaction, since building it loads the actor's keys.
 */
export type ProfileUpdatePublisher = (profile: MemberProfile) => Promise<ActivityDraft | undefined>;

/**
 * Changes a member's display name, bio and avatar. When something changed and the account is
 * active, the change and its `Update` to the member's followers commit together (transactional
 * outbox). An avatar must be the member's own upload made for that purpose.
 */
export async function updateMemberProfile(
  db: Db,
  accountId: number,
  input: ProfileInput,
  publish: ProfileUpdatePublisher | undefined,
): Promise<MemberProfile | undefined> {
  const current = await findMemberProfileByAccountId(db, accountId);
  if (current === undefined) return undefined;
  const displayName = input.displayName === undefined ? current.displayName : input.displayName || current.handle;
  const bio = input.bio ?? current.bio;
  const avatar = await nextAvatar(db, current, input.avatar);
  const avatarChanged = avatar?.id !== current.avatar?.id;
  if (displayName === current.displayName && bio === current.bio && !avatarChanged) return current;

  const next: MemberProfile = { ...current, displayName, bio, avatar, updatedAt: new Date() };
  const draft = current.status === "active" && publish !== undefined ? await publish(next) : undefined;
  await commitWithActivities(db, async (trx, emit) => {
    await updateActorProfile(trx, current.actorId, { name: displayName, summary: bio });
    if (avatarChanged) await saveAvatar(trx, current.actorId, avatar);
    if (draft !== undefined) await emit(draft);
  });
  return await findMemberProfileByAccountId(db, accountId);
}

async function nextAvatar(db: DbOrTrx, current: MemberProfile, requested: string | null | undefined): Promise<MemberProfile["avatar"]> {
  if (requested === undefined) return current.avatar;
  if (requested === null) return null;
  if (requested === current.avatar?.id) return current.avatar;
  const [media] = await findMediaForOwner(db, [requested], current.actorId);
  if (media === undefined) throw notFound(`avatar: no upload ${requested} of yours exists.`);
  return { id: media.id, contentType: media.contentType };
}

/** The media module checks ownership and purpose again, inside the transaction. */
async function saveAvatar(trx: DbOrTrx, actorId: number, avatar: MemberProfile["avatar"]): Promise<void> {
  if (avatar === null) await detachProfileImage(trx, actorId, "avatar");
  else await attachProfileImage(trx, actorId, avatar.id, "avatar");
}
