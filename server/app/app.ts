import { getLogger } from "@logtape/logtape";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { FederationDeps } from "../../federation/federation-deps.ts";
import { charterGuardMiddleware } from "../http/federation-edge/charter-guard.ts";
import { fedifyMiddleware } from "../http/federation-edge/fedify-middleware.ts";
import { inboxAdmission } from "../http/federation-edge/inbox-admission.ts";
import { inboxGuardMiddleware } from "../http/federation-edge/inbox-guard.ts";
import { formGuard } from "../http/form-guard.ts";
import { urlGuard } from "../http/url-guard.ts";
import { isStreamingUpload } from "../http/streaming-uploads.ts";
import type { PageContext } from "../../web/page-context.ts";
import { ErrorPage } from "../../web/pages/error-page.ts";
import { mapTileSource } from "../../web/routes/directory.ts";
import { createWebRoutes } from "../../web/routes.ts";
import { createApiRoutes } from "../api/index.ts";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { csrfProtection } from "../http/csrf.ts";
import { outboundPolicyScope } from "../http/outbound-policy-scope.ts";
import { identifyViewer } from "../http/viewer.ts";
import { DomainError } from "../platform/errors.ts";
import { addressPolicyFor } from "../platform/outbound-http/address-policy.ts";
import { createHealthRoute } from "./health.ts";
import { statusOf } from "../http/error-status.ts";

export type { AppDeps } from "../http/app-env.ts";

const logger = getLogger(["commonsnet", "http"]);
const MAX_REQUEST_BYTES = 17 * 1024 * 1024;

/**
 * The HTTP application: health, then Fedify's endpoints (actors, inboxes, WebFinger, NodeInfo), then
 * the JSON API and the web pages. Fedify runs before any body parsing, so signatures are checked
 * against the raw bytes (docs/mastodon.md#signatures); HTML requests to actor URLs fall through to pages.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const federationDeps: FederationDeps = { db: deps.db, box: deps.box, config: deps.config, services: deps.services };

  app.use(outboundPolicyScope(addressPolicyFor(deps.config)));
  app.use(
    secureHeaders({
      crossOriginResourcePolicy: "cross-origin",
      crossOriginEmbedderPolicy: false,
      // A route's own stricter headers win: uploads are served with `default-src 'none'; sandbox` (web/routes/media.ts).
      overwrite: false,
      // No inline scripts or handlers anywhere; forms post only here (docs/security.md#text-and-html, XSS-07).
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The directory map's tiles come from MAP_TILE_URL's host (named even while https:/http: allow any).
        imgSrc: ["'self'", "data:", "https:", "http:", mapTileSource(deps.config.mapTileUrl)],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    }),
  );
  app.route("/", createHealthRoute(deps));
  app.use(urlGuard());
  app.use(inboxAdmission());
  app.use(charterGuardMiddleware(deps.services.charter, deps.config.publicUrl));
  app.use(inboxGuardMiddleware(deps.federation, federationDeps));
  app.use(fedifyMiddleware(deps.federation, deps.config.publicUrl.origin, () => federationDeps));
  // Uploads are the largest bodies (16 MB images); nothing the pages or API take is larger. Checked
  // before the CSRF middleware parses forms, so an oversized body is refused unread.
  // Design release uploads stream their parts with caps of their own (DESIGN_RELEASE_MAX_MB) instead.
  const limitBody = bodyLimit({ maxSize: MAX_REQUEST_BYTES, onError: (c) => c.json({ error: "payload_too_large", message: `The request body is larger than ${MAX_REQUEST_BYTES / 1024 / 1024} MB.` }, 413) });
  app.use((c, next) => (isStreamingUpload(c) ? next() : limitBody(c, next)));
  app.use(formGuard());
  app.use(identifyViewer(deps.services.accounts, deps.config.publicUrl));
  app.use(csrfProtection(deps.config.publicUrl.origin));
  app.route("/api", createApiRoutes(deps));
  app.route("/", createWebRoutes(deps));

  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) return c.json({ error: "not_found", message: `No such resource: ${c.req.path}` }, 404);
    return c.html(ErrorPage({ page: safePageContext(c, deps), status: 404, title: "Not found", message: "There is nothing at this address." }), 404);
  });

  app.onError((error, c) => {
    const api = c.req.path.startsWith("/api/");
    if (error instanceof DomainError) {
      const status = statusOf(error);
      if (api) return c.json({ error: error.code, message: error.message, ...(error.issues && { issues: error.issues }) }, status);
      return c.html(ErrorPage({ page: safePageContext(c, deps), status, title: titleFor(status), message: error.message }), status);
    }
    logger.error("Unhandled error on {method} {path}: {error}", { method: c.req.method, path: c.req.path, error });
    const message = "Something went wrong on this node; the error was logged.";
    if (api) return c.json({ error: "internal", message }, 500);
    return c.html(ErrorPage({ page: safePageContext(c, deps), status: 500, title: "Server error", message }), 500);
  });

  return app;
}

/** Errors can happen before the viewer or CSRF token were resolved; the error page copes. */
function safePageContext(c: Context<AppEnv>, deps: AppDeps): PageContext {
  const viewer = c.get("viewer");
  return {
    nodeName: deps.config.nodeName,
    viewer: viewer ? { handle: viewer.handle, displayName: viewer.displayName, role: viewer.role } : null,
    csrfToken: c.get("csrfToken") ?? "",
  };
}

function titleFor(status: number): string {
  return ({ 400: "Bad request", 401: "Sign in needed", 403: "Not allowed", 404: "Not found", 409: "Already taken", 410: "Gone", 413: "Too large", 415: "Unsupported type", 422: "Please check the form", 429: "Slow down" } as Record<number, string>)[status] ?? "Error";
}
