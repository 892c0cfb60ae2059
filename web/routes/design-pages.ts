import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { type DesignView, previewUrlOf, type ReleaseView } from "../../server/modules/designs/index.ts";
import { tagBaseUrl } from "../../server/modules/projects/index.ts";
import { tagUrl } from "../../server/platform/text/markdown.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { iconKind } from "../../server/modules/design-files/index.ts";
import type { ForkNode } from "../../server/modules/design-forks/index.ts";
import type { DesignListItem } from "../components/designs/design-list.ts";
import type { ForkItemProps, ForksTreeProps } from "../components/designs/forks-tree.ts";
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
  const [releases, maintainers, followersCount, forks] = await Promise.all([
    designs.releases(handle),
    designs.maintainers(design),
    followers.count({ actorId: design.actorId }),
    forksTree(deps, design),
  ]);
  const made = await madeHere(deps, design, null, releases.map((r) => r.iri));
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
      latest: releases[0] ? { version: releases[0].version, url: new URL(releases[0].url).pathname, files: releases[0].files.map((f) => fileItem(config.publicUrl, releases[0]!, f)), bom: releases[0].bom } : null,
      forks,
      made: made.props,
      canMaintain: viewer ? maintainers.some((m) => m.actorId === viewer.actorId) : false,
    }),
  );
}

/** The node's designs for the front page, newest first, with their newest version (two queries and one). */
export async function designListItems(deps: AppDeps, limit = 50): Promise<DesignListItem[]> {
  const list = await deps.services.designs.list(limit);
  const latest = await deps.services.designs.latestReleases(list);
  return list.map((d) => ({
    name: d.name,
    url: actorPagePath(d.handle),
    fediverseHandle: fediverseHandle(deps, d.handle),
    function: d.function.length > 200 ? `${d.function.slice(0, 199)}…` : d.function,
    licence: d.licence,
    latestVersion: latest.get(d.actorId)?.version ?? null,
  }));
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
      files: release.files.map((f) => fileItem(deps.config.publicUrl, release, f)),
      totalBytes: release.totalBytes,
      downloads: { manifest: `${base}/okh.toml`, jsonLd: `${base}/okh.jsonld`, zip: `${base}/archive.zip` },
      made: made.props,
      cities: made.cities,
      report: c.get("viewer") ? { values: report?.values ?? EMPTY_MADE_FORM, errors: report?.errors ?? {} } : null,
    }),
    report?.status ?? 200,
  );
}

function fileItem(publicUrl: URL, release: ReleaseView, f: ReleaseView["files"][number]): ReleaseFileItem {
  return {
    name: f.name,
    size: f.size,
    mediaType: f.mediaType,
    role: f.role,
    url: f.url,
    preview: f.preview && { url: previewUrlOf(publicUrl, release, f)!, width: f.preview.width, height: f.preview.height },
    iconKind: iconKind(f.mediaType, f.name),
    sha256: f.sha256,
  };
}

/** The chain back to the original and the forks made of this design, as the design-forks module records them. */
async function forksTree(deps: AppDeps, design: DesignView): Promise<ForksTreeProps> {
  const tree = await deps.services.designForks.tree(design.handle);
  const item = (node: ForkNode): ForkItemProps => ({ name: node.name, url: node.url ?? node.iri, host: node.host, city: node.city, licence: node.licence, children: node.children.map(item) });
  return {
    origins: tree.chain.map((link) => ({ name: link.name, releaseUrl: link.release, host: link.host, licence: link.licence })),
    forks: tree.forks.map(item),
  };
}

interface MadeHereData {
  readonly props: MadeHereProps;
  readonly cities: readonly string[];
  /** Builds by release IRI, for the releases list. */
  readonly byRelease: ReadonlyMap<string, number>;
}

/**
 * Builds of the design (its releases', and those reported along its forks' chains), or of one
 * release: the reports for the map and the list, and the counts the made-reports module keeps
 * (places told apart as it tells them, so a list and its count agree).
 */
async function madeHere(deps: AppDeps, design: DesignView, release: ReleaseView | null, releaseIris: readonly string[] = []): Promise<MadeHereData> {
  const { madeReports } = deps.services;
  const [{ reports }, total, byRelease] = await Promise.all([
    madeReports.forDesign(design.handle),
    release ? madeReports.countsFor([release.iri]).then((m) => m.get(release.iri)!) : madeReports.countForDesign(design.actorId),
    madeReports.countsFor(release ? [release.iri] : releaseIris),
  ]);
  const shown = release ? reports.filter((r) => r.releaseIri === release.iri) : reports;
  const cities = new Map<string, string>();
  for (const r of shown) {
    const key = r.place.trim().replace(/\s+/g, " ").toLowerCase();
    if (!cities.has(key)) cities.set(key, r.place.trim());
  }
  return {
    props: {
      reports: shown.map((r) => ({
        place: r.place,
        latitude: r.latitude,
        longitude: r.longitude,
        madeAt: r.madeAt,
        facility: r.facility,
        reporterName: r.reporterName,
        reporterUrl: r.reporterIri,
        version: release ? null : r.version || null,
        host: r.originHost,
        notesHtml: r.notesHtml,
        deviations: r.deviations,
        photos: r.photos.map((p) => ({ url: p.url, alt: p.alt })),
      })),
      madeCount: total.made,
      cityCount: total.cities,
      map: { tileUrl: deps.config.mapTileUrl, attribution: TILE_ATTRIBUTION },
      subject: release ? "this release" : "this design",
    },
    cities: [...cities.values()],
    byRelease: new Map([...byRelease].map(([iri, count]) => [iri, count.made])),
  };
}
