import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../server/http/app-env.ts";
import { createActorPageRoutes } from "./routes/actor-pages.ts";
import { createAdminRoutes } from "./routes/admin.ts";
import { createAuthRoutes } from "./routes/auth.ts";
import { createCharterRoutes } from "./routes/charter.ts";
import { createAuthorizeFollowRoutes } from "./routes/authorize-follow.ts";
import { createDesignAssetRoutes } from "./routes/design-assets.ts";
import { createDesignBuildRoutes } from "./routes/design-builds.ts";
import { createDesignForkFormRoutes } from "./routes/design-fork-form.ts";
import { createDesignReleaseRoutes } from "./routes/design-releases.ts";
import { createDesignRoutes } from "./routes/designs.ts";
import { createDesignFileRoutes } from "./routes/design-files.ts";
import { createDirectoryRoutes } from "./routes/directory.ts";
import { createHomeRoutes } from "./routes/home.ts";
import { createMemberRoutes } from "./routes/members.ts";
import { createMadeHereRoutes } from "./routes/made-here.ts";
import { createMediaRoutes } from "./routes/media.ts";
import { createMemberNoteRoutes } from "./routes/member-notes.ts";
import { createPeerRoutes } from "./routes/peers.ts";
import { createProjectRoutes } from "./routes/projects.ts";
import { createReleaseExportRoutes } from "./routes/release-exports.ts";
import { createStaticRoutes } from "./routes/static.ts";
import { createTimelineRoutes } from "./routes/timeline.ts";
import { createUpdateRoutes } from "./routes/updates.ts";

/**
 * Server-rendered pages, one route file per area (web/routes/<area>.ts). Routes load data through
 * module functions and pass props; pages never query.
 */
export function createWebRoutes(deps: AppDeps): Hono<AppEnv> {
  const web = new Hono<AppEnv>();
  web.route("/", createStaticRoutes());
  web.route("/", createHomeRoutes(deps));
  web.route("/", createActorPageRoutes(deps));
  web.route("/", createAuthRoutes(deps));
  web.route("/", createMemberRoutes(deps));
  web.route("/", createAdminRoutes(deps));
  web.route("/", createPeerRoutes(deps));
  web.route("/", createCharterRoutes(deps));
  web.route("/", createMediaRoutes(deps));
  web.route("/", createTimelineRoutes(deps));
  web.route("/", createAuthorizeFollowRoutes(deps));
  web.route("/", createMemberNoteRoutes(deps));
  web.route("/", createProjectRoutes(deps));
  web.route("/", createUpdateRoutes(deps));
  web.route("/", createDirectoryRoutes(deps));
  web.route("/", createDesignFileRoutes(deps));
  web.route("/", createReleaseExportRoutes(deps));
  web.route("/", createMadeHereRoutes(deps));
  web.route("/", createDesignAssetRoutes());
  web.route("/", createDesignRoutes(deps));
  web.route("/", createDesignReleaseRoutes(deps));
  web.route("/", createDesignBuildRoutes(deps));
  web.route("/", createDesignForkFormRoutes(deps));
  return web;
}
