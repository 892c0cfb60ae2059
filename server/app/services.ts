import type { Federation } from "@fedify/fedify";
import { personUpdatePublisher } from "../../federation/person.ts";
import { createProjectPublisher } from "../../federation/projects.ts";
import type { FederationDeps } from "../../federation/federation-deps.ts";
import type { Services } from "../http/app-env.ts";
import { createAccountsService } from "../modules/accounts/index.ts";
import { createActorsService } from "../modules/actors/index.ts";
import { createMediaService } from "../modules/media/index.ts";
import { createNodeService } from "../modules/node/index.ts";
import { createUpdatesService } from "../modules/notes/index.ts";
import { createProjectsService } from "../modules/projects/index.ts";

/**
 * Every domain service, made once when the node starts, with its outbox port. The publishers need
 * a Fedify context only for the node's URIs, keys and JSON-LD contexts, all fixed by PUBLIC_URL, so
 * one context at that URL serves every request.
 */
export function createServices(federation: Federation<FederationDeps>, deps: FederationDeps): Services {
  const { db, box, config } = deps;
  const publisher = createProjectPublisher(federation.createContext(new URL(config.publicUrl), deps));
  return {
    accounts: createAccountsService({ db, box, publisher: personUpdatePublisher(federation, deps) }),
    actors: createActorsService({ db }),
    media: createMediaService({ db, publicUrl: config.publicUrl }),
    node: createNodeService({ db, box, config }),
    projects: createProjectsService({ db, box, publicUrl: config.publicUrl, publisher }),
    updates: createUpdatesService({ db, box, publicUrl: config.publicUrl, publisher }),
  };
}
