import type { Federation } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { FederationDeps } from "../federation/federation-deps.ts";
import { fedifyMiddleware } from "../federation/hono-middleware.ts";
import { ErrorPage } from "../web/pages/error-page.ts";
import { createWebRoutes } from "../web/routes.ts";
import { createHealthRoute, type HealthDeps } from "./health.ts";

export interface AppDeps extends HealthDeps, FederationDeps {
  readonly federation: Federation<FederationDeps>;
}

const logger = getLogger(["commonsnet", "http"]);

/** The HTTP application: health, Fedify's endpoints, then the web pages on the same paths. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const federationDeps: FederationDeps = { db: deps.db, box: deps.box, config: deps.config };

  app.use(secureHeaders({ crossOriginResourcePolicy: "cross-origin", crossOriginEmbedderPolicy: false }));
  app.route("/", createHealthRoute(deps));
  app.use(fedifyMiddleware(deps.federation, () => federationDeps));
  app.route("/", createWebRoutes(deps));

  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) return c.json({ error: "not_found", message: `No such resource: ${c.req.path}` }, 404);
    return c.html(ErrorPage({ nodeName: deps.config.nodeName, status: 404, title: "Not found", message: "There is nothing at this address." }), 404);
  });

  app.onError((error, c) => {
    logger.error("Unhandled error on {method} {path}: {error}", { method: c.req.method, path: c.req.path, error });
    const message = "Something went wrong on this node; the error was logged.";
    if (c.req.path.startsWith("/api/")) return c.json({ error: "internal", message }, 500);
    return c.html(ErrorPage({ nodeName: deps.config.nodeName, status: 500, title: "Server error", message }), 500);
  });

  return app;
}
