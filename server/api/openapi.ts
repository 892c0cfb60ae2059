import { SOFTWARE_VERSION } from "../platform/version.ts";
import { accountsOperations } from "./accounts.ts";
import { adminOperations } from "./admin.ts";
import { charterOperations } from "./charter.ts";
import { designForksOperations } from "./design-forks.ts";
import { designsOperations } from "./designs.ts";
import { directoryOperations } from "./directory.ts";
import { releaseUploadOperations } from "./design-release-upload.ts";
import { designImportOperations } from "./design-import.ts";
import { followersOperations } from "./followers.ts";
import { followsOperations } from "./follows.ts";
import { meOperations } from "./me.ts";
import { madeReportsOperations } from "./made-reports.ts";
import { mediaOperations } from "./media.ts";
import { componentSchemas } from "./openapi-json-schema.ts";
import { toOperationObject } from "./openapi-operation.ts";
import type { ApiOperation } from "./openapi-registry.ts";
import { peersOperations } from "./peers.ts";
import { projectsOperations } from "./projects.ts";
import { repliesOperations } from "./replies.ts";
import { timelineOperations } from "./timeline.ts";
import { tokensOperations } from "./tokens.ts";
import { updatesOperations } from "./updates.ts";

/** Every route of the JSON API, as each resource file describes it beside its handlers. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  ...followersOperations,
  ...accountsOperations,
  ...tokensOperations,
  ...meOperations,
  ...adminOperations,
  ...mediaOperations,
  ...projectsOperations,
  ...updatesOperations,
  ...followsOperations,
  ...timelineOperations,
  ...repliesOperations,
  ...charterOperations,
  ...directoryOperations,
  ...peersOperations,
  ...designForksOperations,
  ...madeReportsOperations,
  ...releaseUploadOperations,
  ...designImportOperations,
  ...designsOperations,
];

const TAGS = [
  { name: "accounts", description: "Registration and your own profile" },
  { name: "tokens", description: "API tokens" },
  { name: "admin", description: "For the node's admins" },
  { name: "media", description: "Image uploads" },
  { name: "projects", description: "Projects: `Group` actors members maintain" },
  { name: "updates", description: "A project's posts to its followers" },
  { name: "followers", description: "Who follows a project" },
  { name: "follows", description: "Whom you follow on other servers, their posts, your replies" },
  { name: "charter", description: "The node's rules as data" },
  { name: "directory", description: "Listings of this node and its peers" },
  { name: "peers", description: "Nodes this node federates its directory with" },
  { name: "designs", description: "Designs: `Service` actors with releases, files, forks and made-here reports" },
];

/** The OpenAPI 3.1 document of the JSON API, generated from the routes' zod schemas. */
export function buildOpenApiDocument(publicUrl: URL): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of API_OPERATIONS) {
    const item = (paths[operation.path] ??= {});
    if (item[operation.method] !== undefined) throw new Error(`${operation.method.toUpperCase()} ${operation.path} is described twice`);
    item[operation.method] = toOperationObject(operation);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Commonsnet API",
      version: SOFTWARE_VERSION,
      description: "Members, projects, updates and follows of a Commonsnet node. Errors are {error, message, issues?}.",
    },
    servers: [{ url: new URL("/api", publicUrl).href }],
    tags: TAGS,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "A token from POST /api/v1/tokens" } },
      schemas: componentSchemas(),
    },
    paths,
  };
}
