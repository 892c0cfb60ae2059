import { Accept, Follow, Reject } from "@fedify/vocab";

/** The Follow being answered, by IRIs only. */
export interface FollowRef {
  readonly id: URL;
  readonly actor: URL;
  readonly object: URL;
}

/**
 * Our answer to a Follow: `actor` is the followed local actor and `object` the Follow with IRIs only,
 * as Mastodon's AcceptFollowSerializer does (accept_follow_serializer.rb). Embedding the dereferenced
 * follower instead makes GoToSocial answer 400 (docs/stack.md#fedify).
 */
export function toFollowResponse(kind: "accept" | "reject", id: URL, follow: FollowRef): Accept | Reject {
  const values = {
    id,
    actor: follow.object,
    to: follow.actor,
    object: new Follow({ id: follow.id, actor: follow.actor, object: follow.object }),
  };
  return kind === "accept" ? new Accept(values) : new Reject(values);
}
