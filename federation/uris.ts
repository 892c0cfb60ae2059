/**
 * Every path of a federated thing, in one place (style rule 7). All local actors share `/@{identifier}`,
 * as Hollo does; HTML pages use the same paths and are content-negotiated.
 */
export const ACTOR_PATH = "/@{identifier}";
export const INBOX_PATH = "/@{identifier}/inbox";
export const OUTBOX_PATH = "/@{identifier}/outbox";
export const FOLLOWERS_PATH = "/@{identifier}/followers";
export const SHARED_INBOX_PATH = "/inbox";
export const NODEINFO_PATH = "/nodeinfo/2.1";

/** The HTML page of a local actor, on the same URL as its ActivityPub document. */
export function actorPagePath(handle: string): string {
  return `/@${handle}`;
}
