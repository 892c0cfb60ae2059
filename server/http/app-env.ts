import type { Federation } from "@fedify/fedify";
import type { FederationDeps } from "../../federation/federation-deps.ts";
import type { CsrfEnv } from "./csrf.ts";
import type { AppEnv as ViewerEnv } from "./viewer.ts";
import type { HealthDeps } from "../app/health.ts";

/** Everything routes need: the node's config and database, its federation, and health probes. */
export interface AppDeps extends HealthDeps, FederationDeps {
  readonly federation: Federation<FederationDeps>;
}

/** Hono environment of every non-Fedify route: the viewer and the CSRF token are always set. */
export interface AppEnv {
  Variables: ViewerEnv["Variables"] & CsrfEnv["Variables"];
}
