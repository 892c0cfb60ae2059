// The dependency direction of the code base, as data, and the one function that judges an import against it.
// Layers, lowest first: a file may import its own layer or a lower one, never a higher one. The domain
// (server/modules) knows nothing of HTTP or ActivityPub, federation/ translates between the domain and the network,
// the HTTP edge, the JSON API and the pages sit on top of both, and server/app assembles everything.

/** One import found in a source file. Paths are relative to the repository root, with forward slashes. */
export interface ImportEdge {
  readonly from: string;
  /** A repository path for a relative import, or the bare specifier for a package ("hono", "@fedify/vocab"). */
  readonly to: string;
  /** `import type …` / `export type … from`, or every named specifier marked `type`: erased before run time. */
  readonly typeOnly: boolean;
}

interface Layer {
  readonly name: string;
  /** Higher ranks may import lower ones. Two layers of the same rank may not import each other. */
  readonly rank: number;
  /** Folders (with a trailing slash) whose files belong to this layer. */
  readonly folders: readonly string[];
}

export const LAYERS: readonly Layer[] = [
  { name: "platform", rank: 0, folders: ["server/platform/", "server/db/", "server/queue/"] },
  { name: "modules", rank: 1, folders: ["server/modules/"] },
  { name: "federation", rank: 2, folders: ["federation/"] },
  { name: "http", rank: 3, folders: ["server/http/"] },
  // The JSON API and the pages are two faces of the same services: neither needs the other.
  { name: "api", rank: 4, folders: ["server/api/"] },
  { name: "web", rank: 4, folders: ["web/"] },
  { name: "app", rank: 5, folders: ["server/app/"] },
];

/**
 * Files any layer may import, each with the reason. Only pure files whose own imports stay inside the lowest
 * layer qualify, or the exception would let a higher layer in through the back door (the test checks that).
 */
export const SHARED_LEAVES: ReadonlyMap<string, string> = new Map([
  [
    "federation/uris.ts",
    "every path of a federated thing is minted in one file, and the domain needs the same paths " +
      "for what it stores (a directory entry's page URL) without knowing anything else of ActivityPub",
  ],
]);

/** Type-only imports of these files are allowed from anywhere: they describe the app's environment, not code. */
export const TYPE_ONLY_ANYWHERE: ReadonlyMap<string, string> = new Map([
  ["server/http/app-env.ts", "Hono's context variables (viewer, config) are typed once; the types run nowhere"],
]);

/** Packages only some layers may import, each rule with the reason given when it is broken. */
const PACKAGE_RULES: readonly { readonly packages: RegExp; readonly forbiddenIn: readonly string[]; readonly why: string }[] = [
  {
    // A module that needs them is doing the job of federation/ or the HTTP edge.
    packages: /^(hono(\/.*)?|@hono\/.*|@fedify\/.*)$/,
    forbiddenIn: ["modules"],
    why: "domain code knows nothing of HTTP or ActivityPub",
  },
  {
    // Translators stay pure functions; requests reach federation/ through Fedify, never through Hono.
    packages: /^(hono(\/.*)?|@hono\/.*)$/,
    forbiddenIn: ["federation"],
    why: "federation/ translates and dispatches through Fedify, it does not handle HTTP routes",
  },
  {
    // Modules own their tables: everything above them asks a module instead of writing SQL.
    packages: /^(kysely(\/.*)?|kysely-postgres-js|postgres|@electric-sql\/.*)$/,
    forbiddenIn: ["federation", "http", "api", "web", "app"],
    why: "only server/db and the modules run SQL; call a module function instead",
  },
];

/** A module's SQL is private to it: other code reaches the module through its service or entry file. */
const PRIVATE_TO_MODULE = /^server\/modules\/([^/]+)\/(?:.+\/)?[^/]+\.(repository|queries)\.ts$/;

export function layerOf(path: string): Layer | undefined {
  return LAYERS.find((layer) => layer.folders.some((folder) => path.startsWith(folder)));
}

function moduleOf(path: string): string | undefined {
  return /^server\/modules\/([^/]+)\//.exec(path)?.[1];
}

/** Relative imports arrive resolved to repository paths; anything else names a package ("hono", "node:fs"). */
function isPackage(to: string): boolean {
  return !/^(server|federation|web|migrations|test|bench)\//.test(to);
}

/** Why the edge goes against the rules, or undefined when it is allowed. */
export function violationOf(edge: ImportEdge): string | undefined {
  const fromLayer = layerOf(edge.from);
  if (fromLayer === undefined) return `${edge.from} is in no layer: add its folder to LAYERS`;
  if (isPackage(edge.to)) return packageViolation(edge, fromLayer);

  const privateTo = PRIVATE_TO_MODULE.exec(edge.to);
  if (privateTo !== null && moduleOf(edge.from) !== privateTo[1]) {
    return `${edge.to} is the ${privateTo[1]} module's ${privateTo[2]} file: only that module may use it; go through its service`;
  }
  if (SHARED_LEAVES.has(edge.to)) return undefined;
  if (edge.typeOnly && TYPE_ONLY_ANYWHERE.has(edge.to)) return undefined;

  const toLayer = layerOf(edge.to);
  if (toLayer === undefined) return `${edge.to} is in no layer: add its folder to LAYERS`;
  if (toLayer.rank > fromLayer.rank) {
    return `${fromLayer.name} (${edge.from}) imports upward into ${toLayer.name} (${edge.to})`;
  }
  if (toLayer.rank === fromLayer.rank && toLayer !== fromLayer) {
    return `${fromLayer.name} and ${toLayer.name} stand side by side and may not import each other`;
  }
  return undefined;
}

function packageViolation(edge: ImportEdge, fromLayer: Layer): string | undefined {
  const rule = PACKAGE_RULES.find((r) => r.forbiddenIn.includes(fromLayer.name) && r.packages.test(edge.to));
  return rule === undefined ? undefined : `${fromLayer.name} (${edge.from}) imports ${edge.to}: ${rule.why}`;
}
