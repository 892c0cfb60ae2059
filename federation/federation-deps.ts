import type { Config } from "../server/platform/config.ts";
import type { Db } from "../server/db/database.ts";
import type { Services } from "../server/http/app-env.ts";
import type { SecretBox } from "../server/platform/secret-box.ts";
import type { OutboxForwardOrder } from "./outbox-forwarding.ts";

/** What Fedify's dispatchers and listeners receive as context data. */
export interface FederationDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly config: Config;
  /** The domain services (server/app/services.ts): the way inbox handlers and dispatchers reach a domain. */
  readonly services: Services;
  /** Only on the outbox relay's in-process POST: the recipients of the activity it hands over. */
  readonly outboxForward?: OutboxForwardOrder;
}

/** Federation deps whose services arrive after the federation is made. */
export interface PendingFederationDeps {
  readonly deps: FederationDeps;
  /** Call once, before any request or queue work starts. */
  readonly attachServices: (services: Services) => void;
}

/**
 * The services' outbox ports need a Fedify context, and the context needs these deps, so the deps exist first
 * and the services are attached once made. Reading `services` earlier is a wiring mistake and throws.
 */
export function pendingFederationDeps(base: { readonly db: Db; readonly box: SecretBox; readonly config: Config }): PendingFederationDeps {
  let attached: Services | undefined;
  const deps: FederationDeps = {
    db: base.db,
    box: base.box,
    config: base.config,
    get services(): Services {
      if (attached === undefined) throw new Error("federation deps: services read before they were attached");
      return attached;
    },
  };
  const attachServices = (services: Services): void => {
    if (attached !== undefined) throw new Error("federation deps: services attached twice");
    attached = services;
  };
  return { deps, attachServices };
}
