import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import type { DesignView, ReleaseView } from "../../server/modules/designs/index.ts";
import { tagBaseUrl } from "../../server/modules/projects/index.ts";
import { tagUrl } from "../../server/platform/text/markdown.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { iconKind } from "../../server/modules/design-files/index.ts";
import type { ForksTreeProps } from "../components/designs/forks-tree.ts";
import type { MadeHereProps } from "../components/designs/made-here.ts";
import type { MadeFormValues } from "../components/designs/made-report-form.ts";
import type { ReleaseFileItem } from "../components/designs/release-files.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { DesignPage } from "../pages/design-page.ts";
import { ReleasePage } from "../pages/release-page.ts";
import { EMPTY_MADE_FORM } from "../components/designs/made-report-form.ts";

/** Most tile servers draw OpenStreetMap data, whose licence asks for this credit. */
const TILE_ATTRIBUTION = "Map data © OpenStreetMap contributors";

/** A design's page (the HTML face of its `Service` actor): facts, releases, forks tree, builds and a follow box. */
export async function designPage(deps: AppDeps, c: Context<AppEnv>, handle: string): Promise<Response> {
  const { config } = deps;
  const { designs, followers } = deps.services;
  const design = await designs.require(handle);
  const [releases, maintainers, followersCount, forks, made] = await Promise.all([
    designs.releases(handle),
    designs.maintainers(handle),
    followers.count({ actorId: design.actorId }),
    forksTree(deps, design),
    madeHere(deps, design, null),
  ]);
  const viewer = c.get("viewer");
  return await c.html(
    DesignPage({
      page: pageContext(c, deps),
      handle: design.handle,
      name: design.name,
      fediverseHandle: fediverseHandle(deps, design.handle),
      actorIri: design.iri,
      summaryHtml: design.summaryHtml,
      function: design.function,
      tags: design.tags.map((name) => ({ name, url: tagUrl(tagBaseUrl(config.publicUrl), name) })),
      licence: design.licence,
      documentationLicence: design.documentationLicence,
      licensor: design.licensor,
      project: design.project && { name: design.project.name, url: actorPagePath(design.project.handle) },
      maintainers: maintainers.map((m) => ({ handle: m.handle, name: m.name, url: actorPagePath(m.handle) })),
      followersCount,
      releases: releases.map((r) => ({
        version: r.version,
        url: new URL(r.url).pathname,
        publishedAt: r.publishedAt,
        licence: r.licence,
        fileCount: r.files.length,
        totalBytes: r.totalBytes,
        madeCount: made.byRelease.get(r.iri) ?? 0,
      })),
      forks,
      made: made.props,
      canMaintain: viewer ? maintainers.some((m) => m.actorId === viewer.actorId) : false,
    }),
  );
}

/** A release's page: everything needed to build it, download it, report a build or fork it. */
export async function releasePage(deps: AppDeps, c: Context<AppEnv>, handle: string, version: string, report?: { values: MadeFormValues; errors: FieldErrors; status: 404 | 409 | 413 | 415 | 422 }): Promise<Response> {
  const { designs } = deps.services;
  const [design, release] = await Promise.all([designs.require(handle), designs.release(handle, version)]);
  const made = await madeHere(deps, design, release);
  const base = new URL(release.url).pathname;
  return await c.html(
    ReleasePage({
      page: pageContext(c, deps),
      design: { handle: design.handle, name: design.name, url: actorPagePath(design.handle) },
      version: release.version,
      iri: release.iri,
      publishedAt: release.publishedAt,
      notesHtml: release.notesHtml,
      trl: release.trl,
      drl: release.drl,
      licence: release.licence,
      documentationLicence: release.documentationLicence,
      forkOf: release.forkOf,
      bom: release.bom,
      files: release.files.map(fileItem),
      totalBytes: release.totalBytes,
      downloads: { manifest: `${base}/okh.toml`, jsonLd: `${base}/okh.jsonld`, zip: `${base}/archive.zip` },
      made: made.props,
      cities: made.cities,
      report: c.get("viewer") ? { values: report?.values ?? EMPTY_MADE_FORM, errors: report?.errors ?? {} } : null,
    }),
    report?.status ?? 200,
  );
}

function fileItem(f: ReleaseView["files"][number]): ReleaseFileItem {
  return {
    name: f.name,
    size: f.size,
    mediaType: f.mediaType,
    role: f.role,
    url: f.url,
    preview: f.preview && { url: `${f.url}/preview`, width: f.preview.width, height: f.preview.height },
    iconKind: iconKind(f.mediaType, f.name),
    sha256: f.sha256,
  };
}

/** The chain back to the original (stored with the design) and the forks its origin recorded. */
async function forksTree(_deps: AppDeps, design: DesignView): Promise<ForksTreeProps> {
  return {
    origins: design.forkChain.map((link) => ({ name: link.name, releaseUrl: link.release, host: link.host, licence: link.licence })),
    designIri: design.iri,
    forks: [],
  };
}

interface MadeHereData {
  readonly props: MadeHereProps;
  readonly cities: readonly string[];
  /** Builds by release IRI, for the releases list. */
  readonly byRelease: ReadonlyMap<string, number>;
}

/** Builds of the design (or of one release), for the map, the list and the counts. */
async function madeHere(deps: AppDeps, _design: DesignView, release: ReleaseView | null): Promise<MadeHereData> {
  return {
    props: { reports: [], madeCount: 0, cityCount: 0, map: { tileUrl: deps.config.mapTileUrl, attribution: TILE_ATTRIBUTION }, subject: release ? "this release" : "this design" },
    cities: [],
    byRelease: new Map(),
  };
}
