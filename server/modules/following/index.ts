/** The following module's entry: what other layers and modules may use. */
export { type Following, isFollowedByAnyMember, listFollowing } from "./following.repository.ts";
