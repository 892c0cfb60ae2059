import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import request from "supertest";
import type { WebFingerLookup } from "../../../federation/remote-follow.ts";
import type { AppDeps, AppEnv } from "../../../server/http/app-env.ts";
import { csrfProtection } from "../../../server/http/csrf.ts";
import { statusOf } from "../../../server/http/error-status.ts";
import { identifyViewer } from "../../../server/http/viewer.ts";
import { DomainError } from "../../../server/platform/errors.ts";
import { createAuthorizeFollowRoutes } from "../../../web/routes/authorize-follow.ts";
import type { TestNode } from "../../helpers/test-node.ts";

/** The remote-follow routes as createWebRoutes mounts them, with a WebFinger lookup the test controls. */
export function authorizeFollowApp(node: TestNode, lookupWebFinger: WebFingerLookup): ReturnType<typeof request> {
  const deps: AppDeps = { ...node.deps, federation: node.federation, services: node.services, engine: node.database.engine, queues: node.queues, isDraining: () => false };
  const web = new Hono<AppEnv>();
  web.use(identifyViewer(node.services.accounts, node.config.publicUrl));
  web.use(csrfProtection(node.config.publicUrl.origin));
  web.route("/", createAuthorizeFollowRoutes(deps, { lookupWebFinger }));
  web.onError((error, c) => (error instanceof DomainError ? c.text(error.message, statusOf(error)) : c.text(String(error), 500)));
  return request(getRequestListener(web.fetch));
}
