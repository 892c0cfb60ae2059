import type { Federation } from "@fedify/fedify";
import { createFollowersPort } from "../../federation/follow-responses.ts";
import { createFollowingPort } from "../../federation/following.ts";
import { createReplyPort } from "../../federation/member-notes.ts";
import { createNodeResolver } from "../../federation/peering/connect.ts";
import { createPeeringPort } from "../../federation/peering/peering-port.ts";
import { personUpdatePublisher } from "../../federation/person.ts";
import { createProjectPublisher } from "../../federation/projects.ts";
import { createForkNetworkPort } from "../../federation/design-fork-network.ts";
import { createDesignPublisher } from "../../federation/designs.ts";
import { createMadeReportPublisher } from "../../federation/made-reports.ts";
import { createDesignListingPort } from "../../federation/design-listing.ts";
import type { FederationDeps } from "../../federation/federation-deps.ts";
import type { Services } from "../http/app-env.ts";
import { createAccountsService } from "../modules/accounts/index.ts";
import { createActorsService } from "../modules/actors/index.ts";
import { createDesignsService, type DesignCounts, isShareAlike } from "../modules/designs/index.ts";
import { createDesignForksService, forksCountOf, nodeCity } from "../modules/design-forks/index.ts";
import { createDesignFilesService } from "../modules/design-files/index.ts";
import { createBlobStore } from "../platform/blob-store/index.ts";
import { createMadeReportsService } from "../modules/made-reports/index.ts";
import { createDeliveryHealthService } from "../modules/delivery-health/index.ts";
import { createFollowersService } from "../modules/followers/index.ts";
import { createFollowingService } from "../modules/following/index.ts";
import { createInteractionsService } from "../modules/interactions/index.ts";
import { createCharterService } from "../modules/charter/index.ts";
import { createDirectoryService } from "../modules/directory/index.ts";
import { createMediaService } from "../modules/media/index.ts";
import { createNodeService } from "../modules/node/index.ts";
import { createUpdatesService } from "../modules/notes/index.ts";
import { createPeersService } from "../modules/peers/index.ts";
import { createProjectsService } from "../modules/projects/index.ts";
import { createRemoteActorsService } from "../modules/remote-actors/index.ts";
import { createRemotePostsService } from "../modules/remote-posts/index.ts";
import { createRepliesService } from "../modules/replies/index.ts";
import { createUndoneActivitiesService } from "../modules/undone-activities/index.ts";

/**
 * Every domain service, made once when the node starts, with its outbox port. The publishers need
 * a Fedify context only for the node's URIs, keys and JSON-LD contexts, all fixed by PUBLIC_URL, so
 * one context at that URL serves every request.
 */
export function createServices(federation: Federation<FederationDeps>, deps: FederationDeps): Services {
  const { db, box, config } = deps;
  const ctx = federation.createContext(new URL(config.publicUrl), deps);
  const publisher = createProjectPublisher(ctx);
  const charter = createCharterService({ db, registration: config.registration });
  const directory = createDirectoryService({ db, publicUrl: config.publicUrl, charter });
  // The designs' read models count forks and builds, which those modules keep; made-reports is made
  // below (it needs the designs service), and its counts are only asked for once the node runs.
  const counts: DesignCounts = {
    forksOf: forksCountOf(db),
    madeOfDesign: async (design) => (await madeReports.countForDesign(design.actorId)).made,
    madeOfRelease: (release) => madeReports.ofRelease(release.iri),
  };
  // One listing port: designs keep their entries in step through it, made-here reports their builds.
  const listing = createDesignListingPort(ctx, config.publicUrl);
  const designs = createDesignsService({ db, box, publicUrl: config.publicUrl, publisher: createDesignPublisher(ctx), counts, listing });
  const designFiles = createDesignFilesService({
    blobs: createBlobStore(config.storageDir),
    fileMaxBytes: config.designFileMaxBytes,
    releaseMaxBytes: config.designReleaseMaxBytes,
    isBlobReferenced: designs.isBlobReferenced,
  });
  const designForks = createDesignForksService({
    db,
    designs,
    charter,
    files: designFiles,
    network: createForkNetworkPort(ctx),
    isShareAlike,
    cityOf: (host) => nodeCity(directory, host),
    fileMaxBytes: config.designFileMaxBytes,
    releaseMaxBytes: config.designReleaseMaxBytes,
  });
  const madeReports = createMadeReportsService({
    db,
    publicUrl: config.publicUrl,
    designs,
    publisher: createMadeReportPublisher(ctx),
    directory: listing,
  });
  return {
    accounts: createAccountsService({ db, box, publisher: personUpdatePublisher(federation, deps) }),
    actors: createActorsService({ db }),
    deliveryHealth: createDeliveryHealthService({ db }),
    charter,
    directory,
    peers: createPeersService({ db, registration: config.registration, port: createPeeringPort(ctx), resolveNode: createNodeResolver(ctx) }),
    media: createMediaService({ db, publicUrl: config.publicUrl }),
    node: createNodeService({ db, box, config }),
    projects: createProjectsService({ db, box, publicUrl: config.publicUrl, publisher }),
    updates: createUpdatesService({ db, box, publicUrl: config.publicUrl, publisher }),
    following: createFollowingService({ db, port: createFollowingPort(ctx) }),
    followers: createFollowersService({ db, port: createFollowersPort(ctx) }),
    replies: createRepliesService({ db, publicUrl: config.publicUrl, port: createReplyPort(ctx) }),
    remoteActors: createRemoteActorsService({ db }),
    remotePosts: createRemotePostsService({ db }),
    interactions: createInteractionsService({ db }),
    undoneActivities: createUndoneActivitiesService({ db }),
    designs,
    designFiles,
    designForks,
    madeReports,
  };
}
