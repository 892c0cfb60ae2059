import { Readable } from "node:stream";
import { type Context, Hono } from "hono";
import { releaseArchivePath } from "../../federation/uris.ts";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { contentDisposition } from "../../server/http/content-disposition.ts";
import type { DesignView, ReleaseView } from "../../server/modules/designs/index.ts";
import { type OkhLinks, releaseArchiveEntries, releaseArchiveName, toOkhJsonLd, toOkhToml } from "../../server/modules/okh/index.ts";
import { notFound } from "../../server/platform/errors.ts";
import { createZipStream, zipSize } from "../../server/platform/zip/index.ts";

const RELEASE = "/:actorPath{@[A-Za-z0-9_.-]+}/releases/:version";

/**
 * A release's exports: its Open Know-How manifest as okh.toml (application/toml, registered with
 * IANA in 2024) and as JSON-LD, and the whole release as a zip with okh.toml and SHA256SUMS. All
 * public, downloaded rather than shown (nosniff, attachment), and readable by other sites' scripts
 * (the manifests are open data for OKH crawlers and linked-data tools). The zip is streamed from
 * the blob store one file at a time, with its exact length announced up front.
 */
export function createReleaseExportRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get(`${RELEASE}/okh.toml`, async (c) => {
    const { design, release } = await findRelease(deps, c);
    if (notModified(c, release, "toml")) return c.body(null, 304, exportHeaders(release, "toml"));
    return c.body(toOkhToml(design, release, linksOf(deps, design, release)), 200, {
      ...exportHeaders(release, "toml"),
      "Content-Type": "application/toml; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", "okh.toml"),
    });
  });

  routes.get(`${RELEASE}/okh.jsonld`, async (c) => {
    const { design, release } = await findRelease(deps, c);
    if (notModified(c, release, "jsonld")) return c.body(null, 304, exportHeaders(release, "jsonld"));
    return c.body(JSON.stringify(toOkhJsonLd(design, release, linksOf(deps, design, release)), null, 2), 200, {
      ...exportHeaders(release, "jsonld"),
      "Content-Type": "application/ld+json; charset=utf-8",
      "Content-Disposition": contentDisposition("inline", "okh.jsonld"),
    });
  });

  routes.get(`${RELEASE}/archive.zip`, async (c) => {
    const { design, release } = await findRelease(deps, c);
    if (notModified(c, release, "zip")) return c.body(null, 304, exportHeaders(release, "zip"));
    const { designFiles } = deps.services;
    // Checked before the first byte goes out: once streaming, a missing file could only cut the download short.
    for (const file of release.files) {
      if ((await designFiles.size(file.sha256)) !== file.size) throw notFound(`${file.name} of this release is missing from the node's storage.`);
    }
    const entries = releaseArchiveEntries(design, release, linksOf(deps, design, release), (sha256) => designFiles.open(sha256));
    const headers = {
      ...exportHeaders(release, "zip"),
      "Content-Type": "application/zip",
      "Content-Disposition": contentDisposition("attachment", `${releaseArchiveName(design, release)}.zip`),
      "Content-Length": String(zipSize(entries)),
    };
    if (c.req.method === "HEAD") return c.body(null, 200, headers);
    return c.body(Readable.toWeb(createZipStream(entries)) as ReadableStream<Uint8Array>, 200, headers);
  });

  return routes;
}

async function findRelease(deps: AppDeps, c: Context<AppEnv>): Promise<{ design: DesignView; release: ReleaseView }> {
  const handle = c.req.param("actorPath")!.slice(1);
  const { designs } = deps.services;
  const release = await designs.release(handle, c.req.param("version")!);
  return { design: await designs.require(handle), release };
}

function linksOf(deps: AppDeps, design: DesignView, release: ReleaseView): OkhLinks {
  return {
    repo: design.url,
    release: release.url,
    archive: new URL(releaseArchivePath(design.handle, release.version), deps.config.publicUrl).href,
    design: design.iri,
    organization: deps.config.nodeName,
  };
}

/**
 * A release never changes, but its manifest also names the node, which may be renamed: cached for an
 * hour, revalidated by an ETag of the release and the export.
 */
function exportHeaders(release: ReleaseView, kind: string): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": "public, max-age=3600",
    ETag: etagOf(release, kind),
  };
}

const etagOf = (release: ReleaseView, kind: string): string => `"${release.id}-${kind}"`;

function notModified(c: Context<AppEnv>, release: ReleaseView, kind: string): boolean {
  const header = c.req.header("if-none-match");
  return header !== undefined && header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etagOf(release, kind));
}
