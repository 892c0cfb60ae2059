import { Follow, Undo } from "@fedify/vocab";
import type { FollowRef } from "./follow.ts";

/**
 * A member's `Follow` as Mastodon sends its own (follow_serializer.rb, docs/mastodon.md#follows): id, actor and object,
 * no addressing; delivered to the followee's personal inbox.
 */
export function toMemberFollow(follow: FollowRef): Follow {
  return new Follow({ id: follow.id, actor: follow.actor, object: follow.object });
}

/** `Undo(Follow)` embedding the original Follow by IRIs (undo_follow_serializer.rb): `<follow id>/undo`. */
export function toMemberUndoFollow(follow: FollowRef): Undo {
  return new Undo({
    id: new URL(`${follow.id.href}/undo`),
    actor: follow.actor,
    object: toMemberFollow(follow),
  });
}
