import { Hono } from "hono";
import { z } from "zod";
import { releaseArchivePath, releaseManifestPath } from "../../federation/uris.ts";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { HandleSchema } from "../modules/actors/handle.schema.ts";
import type { DesignView, ReleaseView } from "../modules/designs/index.ts";
import { conflict, invalidInput } from "../platform/errors.ts";
import { receiveOkhImport } from "./okh-import-body.ts";
import { type ApiOperation, error, type JsonOf, Timestamp, Url } from "./openapi-registry.ts";

/** The path of the import, also listed as a streaming upload (server/http/streaming-uploads.ts). */
export const DESIGN_IMPORT_PATH = "/designs/import";

const ImportQuery = z.object({ handle: HandleSchema.optional().meta({ description: "The new design's handle; by default one made from the manifest's name" }) });

/**
 * POST /api/v1/designs/import: an Open Know-How manifest (okh.toml) and the files it names become a
 * new design, which the member maintains, with its first release.
 */
export function createDesignImportApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { designs, designFiles, actors } = deps.services;

  api.post(DESIGN_IMPORT_PATH, async (c) => {
    const viewer = requireViewer(c);
    const query = ImportQuery.safeParse(c.req.query());
    if (!query.success) throw invalidInput(query.error);
    const upload = await receiveOkhImport(c.req.raw, {
      designFiles,
      ...(query.data.handle === undefined ? {} : { handle: query.data.handle }),
      // Before any file is stored: the handle must be free (handles are shared by every kind of actor).
      async onManifest(manifest) {
        if ((await actors.byHandle(manifest.design.handle)) !== undefined) {
          throw conflict(`The handle @${manifest.design.handle} is taken; choose another with ?handle=.`);
        }
      },
    });
    try {
      // Both or neither: an import never leaves a design without its first release.
      const { design, release } = await designs.createWithFirstRelease(viewer.actorId, upload.manifest.design, undefined, upload.manifest.release, upload.files);
      return c.json(toImportJson(deps, design, release), 201);
    } catch (failure) {
      await designFiles.discardUnreferenced(upload.added);
      throw failure;
    }
  });

  return api;
}

const ImportedFileJson = z.object({ name: z.string(), size: z.number().int(), sha256: z.string(), mediaType: z.string(), role: z.string().nullable(), url: Url });

const DesignImportJson = z
  .object({
    handle: z.string(),
    iri: Url.meta({ description: "The design actor's id" }),
    url: Url,
    release: z.object({
      version: z.string(),
      iri: Url,
      url: Url,
      publishedAt: Timestamp,
      manifestUrl: Url.meta({ description: "The release's okh.toml" }),
      zipUrl: Url.meta({ description: "The release as a zip with SHA256SUMS" }),
      files: z.array(ImportedFileJson),
    }),
  })
  .meta({ id: "DesignImport" });

function toImportJson(deps: AppDeps, design: DesignView, release: ReleaseView): JsonOf<typeof DesignImportJson> {
  const at = (path: string) => new URL(path, deps.config.publicUrl).href;
  return {
    handle: design.handle,
    iri: design.iri,
    url: design.url,
    release: {
      version: release.version,
      iri: release.iri,
      url: release.url,
      publishedAt: release.publishedAt.toISOString(),
      manifestUrl: at(releaseManifestPath(design.handle, release.version, "toml")),
      zipUrl: at(releaseArchivePath(design.handle, release.version)),
      files: release.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, mediaType: f.mediaType, role: f.role, url: f.url })),
    },
  };
}

/** The multipart form as a client fills it: okh.toml first, then the files it names. */
const DesignImportForm = z.object({
  manifest: z.string().meta({ format: "binary", description: "okh.toml (OKH-LOSH), as a file or a text field; at most 256 KB; sent first" }),
  files: z.array(z.string().meta({ format: "binary" })).optional().meta({ description: "Each file the manifest names, with its name or its path as the manifest writes it" }),
});

export const designImportOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: `/v1${DESIGN_IMPORT_PATH}`,
    operationId: "importDesign",
    tags: ["designs"],
    summary: "Import a design from an Open Know-How manifest",
    description:
      "Creates a design and its first release from an okh.toml and the files it names (source, export, bom, image, readme, manufacturing-instructions, user-manual, auxiliary, and each [[part]]'s files). " +
      "The manifest's name, description, function, keywords, license, documentation-license, licensor, version, readiness levels, release-notes and [[part]] bill of materials are read; " +
      "errors name the TOML key. Files are capped as release uploads are. You become the design's maintainer. Signed-in pages send X-CSRF-Token.",
    auth: true,
    query: ImportQuery,
    body: { schema: DesignImportForm, contentType: "multipart/form-data" },
    responses: {
      201: { description: "The design and its first release", schema: DesignImportJson },
      400: error("The body is not a readable multipart form"),
      401: error("Not signed in"),
      409: error("The handle is taken"),
      413: error("The manifest, a file or the release is too large"),
      422: error("The manifest is not TOML, a key is invalid, or a file it names is missing or not named (the message names the key)"),
    },
  },
];
