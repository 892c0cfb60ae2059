import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { MAX_RELEASE_FILES } from "../modules/design-files/index.ts";
import { previewUrlOf, ReleaseInputSchema, type ReleaseView } from "../modules/designs/index.ts";
import { conflict, DomainError } from "../platform/errors.ts";
import { receiveReleaseUpload } from "./release-upload-body.ts";
import { type ApiOperation, error, type JsonOf, Timestamp, Url } from "./openapi-registry.ts";

/**
 * POST /v1/designs/{handle}/releases: a maintainer publishes a release with its files, as multipart/form-data
 * read as a stream (server/api/release-upload-body.ts), never held whole. Rights are checked before a byte of
 * the body is read; the release is published only when every file was stored and accepted, and a refusal
 * removes the blobs the upload added that no release uses.
 */
export function createReleaseUploadApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { designs, designFiles } = deps.services;

  api.post("/designs/:handle/releases", async (c) => {
    const viewer = requireViewer(c);
    const design = await designs.requireMaintainer(c.req.param("handle"), viewer.actorId);
    if (!/^multipart\/form-data\s*;/i.test(c.req.header("content-type") ?? "")) {
      throw new DomainError("unsupported_type", "unsupported_media_type", "Send the release as multipart/form-data: a `metadata` JSON part, then `files` parts.");
    }
    const upload = await receiveReleaseUpload(c.req.raw, {
      designFiles,
      metadataSchema: ReleaseInputSchema,
      // A taken version is refused before hundreds of megabytes are uploaded for nothing.
      onMetadata: async (metadata) => {
        if ((await designs.releases(design.handle)).some((r) => r.version === metadata.version)) {
          throw conflict(`version: @${design.handle} already has a release ${metadata.version}; a release never changes, publish a new version.`);
        }
      },
    });
    let release: ReleaseView;
    try {
      release = await designs.publishRelease(viewer.actorId, design.handle, upload.metadata, upload.batch.files);
    } catch (failure) {
      await upload.batch.abandon();
      throw failure;
    }
    upload.batch.finish();
    return c.json(publishedReleaseJson(deps.config.publicUrl, release), 201);
  });

  return api;
}

function publishedReleaseJson(publicUrl: URL, release: ReleaseView): JsonOf<typeof PublishedReleaseJson> {
  return {
    version: release.version,
    iri: release.iri,
    url: release.url,
    publishedAt: release.publishedAt.toISOString(),
    totalBytes: release.totalBytes,
    files: release.files.map((file) => ({
      name: file.name,
      size: file.size,
      sha256: file.sha256,
      mediaType: file.mediaType,
      role: file.role,
      url: file.url,
      previewUrl: previewUrlOf(publicUrl, release, file),
    })),
  };
}

const PublishedFileJson = z
  .object({
    name: z.string(),
    size: z.number().int().meta({ description: "Bytes" }),
    sha256: z.string().meta({ description: "Hex SHA-256 of the bytes; also the download's ETag" }),
    mediaType: z.string().meta({ description: "Told from the bytes for images, else from the extension; application/octet-stream when unknown" }),
    role: z.string().nullable().meta({ description: "Open Know-How file role: source, export, bom, manual, image or other (guessed from name and type)" }),
    url: Url.meta({ description: "The download" }),
    previewUrl: Url.nullable().meta({ description: "A 640 px WebP preview, for raster images" }),
  })
  .meta({ id: "PublishedReleaseFile" });

const PublishedReleaseJson = z
  .object({
    version: z.string(),
    iri: Url.meta({ description: "The `Release` object's id; also its page" }),
    url: Url,
    publishedAt: Timestamp,
    totalBytes: z.number().int(),
    files: z.array(PublishedFileJson),
  })
  .meta({ id: "PublishedRelease" });

/** The multipart form as a client fills it. */
const ReleaseUploadForm = z.object({
  metadata: z.string().meta({
    description: "JSON, the first part: {version, notes?, trl?, drl?, bom?: [{part, quantity, unit?, material?, source?, link?}]}",
    example: '{"version":"1.0.0","notes":"First cut.","trl":"OTRL-4","bom":[{"part":"M3 screw","quantity":8}]}',
  }),
  files: z.array(z.file()).meta({ description: `The release's files, one part each with its filename, at most ${MAX_RELEASE_FILES}` }),
});

export const releaseUploadOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/v1/designs/{handle}/releases",
    operationId: "publishDesignRelease",
    tags: ["designs"],
    summary: "Publish a release with its files",
    description:
      "multipart/form-data: a `metadata` part (JSON) first, then one `files` part per file. The body is streamed: each file " +
      "is hashed and stored as it arrives, within the node's caps (DESIGN_FILE_MAX_MB a file, DESIGN_RELEASE_MAX_MB a release; 50 and 500 MB by default). Files are stored by SHA-256 (equal files once); " +
      "images are checked and previewed, SVG that could run script or load anything is refused, names must be one safe path segment. " +
      "Followers get a Note and peers the `Release`. Cookie-authenticated calls send the CSRF token in X-CSRF-Token.",
    auth: true,
    pathParams: z.object({ handle: z.string().meta({ description: "The design's handle" }) }),
    body: { schema: ReleaseUploadForm, contentType: "multipart/form-data" },
    responses: {
      201: { description: "The published release", schema: PublishedReleaseJson },
      400: error("A malformed multipart body or metadata that is not JSON"),
      401: error("Not signed in"),
      403: error("Not a maintainer of the design"),
      404: error("No such design"),
      409: error("The version is already published"),
      413: error("A file or the release is larger than the node's caps"),
      415: error("The body is not multipart/form-data"),
      422: error("Bad metadata, the metadata part not first, a bad or duplicate file name, more than 200 files, an unsafe SVG or an image too large to decode"),
    },
  },
];
