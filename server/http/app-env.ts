import type { Federation, MessageQueue } from "@fedify/fedify";
import type { FederationDeps } from "../../federation/federation-deps.ts";
import type { Db } from "../db/database.ts";
import type { Engine } from "../db/open-database.ts";
import type { AccountsService } from "../modules/accounts/index.ts";
import type { ActorsService } from "../modules/actors/index.ts";
import type { DesignsService } from "../modules/designs/index.ts";
import type { DeliveryHealthService } from "../modules/delivery-health/index.ts";
import type { DesignForksService } from "../modules/design-forks/index.ts";
import type { DesignFilesService } from "../modules/design-files/index.ts";
import type { FollowersService } from "../modules/followers/index.ts";
import type { FollowingService } from "../modules/following/index.ts";
import type { InteractionsService } from "../modules/interactions/index.ts";
import type { CharterService } from "../modules/charter/index.ts";
import type { DirectoryService } from "../modules/directory/index.ts";
import type { MediaService } from "../modules/media/index.ts";
import type { NodeService } from "../modules/node/index.ts";
import type { UpdatesService } from "../modules/notes/index.ts";
import type { PeersService } from "../modules/peers/index.ts";
import type { ProjectsService } from "../modules/projects/index.ts";
import type { RemoteActorsService } from "../modules/remote-actors/index.ts";
import type { RemotePostsService } from "../modules/remote-posts/index.ts";
import type { RepliesService } from "../modules/replies/index.ts";
import type { MadeReportsService } from "../modules/made-reports/index.ts";
import type { UndoneActivitiesService } from "../modules/undone-activities/index.ts";
import type { Config } from "../platform/config.ts";
import type { CsrfEnv } from "./csrf.ts";
import type { AppEnv as ViewerEnv } from "./viewer.ts";

/**
 * The running node as /healthz reports it. Declared here with the rest of the app's environment, not beside
 * the health route in server/app, so the types every route imports do not reach up into the app's assembly.
 */
export interface HealthDeps {
  readonly config: Config;
  readonly db: Db;
  readonly engine: Engine;
  readonly queues: Readonly<Record<string, MessageQueue>>;
  /** True once SIGTERM arrived: load balancers should stop sending traffic here. */
  readonly isDraining: () => boolean;
}

/** The domain services, made once at start (server/app/services.ts): the only way routes reach a domain. */
export interface Services {
  readonly accounts: AccountsService;
  readonly actors: ActorsService;
  readonly deliveryHealth: DeliveryHealthService;
  readonly charter: CharterService;
  readonly directory: DirectoryService;
  readonly peers: PeersService;
  readonly media: MediaService;
  readonly node: NodeService;
  readonly projects: ProjectsService;
  readonly updates: UpdatesService;
  readonly following: FollowingService;
  readonly followers: FollowersService;
  readonly replies: RepliesService;
  readonly remoteActors: RemoteActorsService;
  readonly remotePosts: RemotePostsService;
  readonly interactions: InteractionsService;
  readonly undoneActivities: UndoneActivitiesService;
  readonly designForks: DesignForksService;
  readonly madeReports: MadeReportsService;
  readonly designs: DesignsService;
  readonly designFiles: DesignFilesService;
}

/** Everything routes need: the node's config, its domain services, its federation, and health probes. */
export interface AppDeps extends HealthDeps, FederationDeps {
  readonly federation: Federation<FederationDeps>;
  readonly services: Services;
}

/** Hono environment of every non-Fedify route: the viewer and the CSRF token are always set. */
export interface AppEnv {
  Variables: ViewerEnv["Variables"] & CsrfEnv["Variables"];
}
