/** The followers module's entry: what other layers and modules may use. */
export { countFollowers, findFollowerByActor, findFollowerById, type Follower, listAllFollowers, listFollowers, removeFollowerByFollowIri, removeFollowerByPair } from "./follower.repository.ts";
