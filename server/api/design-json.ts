import { z } from "zod";
import type { Config } from "../platform/config.ts";
import type { DesignMaintainer, DesignView, ReleaseView } from "../modules/designs/index.ts";
import { previewUrlOf } from "../modules/designs/index.ts";
import { actorPagePath, notePath, releaseArchivePath, releaseManifestPath } from "../../federation/uris.ts";
import { type JsonOf, Timestamp, Url } from "./openapi-registry.ts";
import { MaintainerJson } from "./project-json.ts";

type UrlConfig = Pick<Config, "publicUrl">;

/** POST /api/v1/designs answers {handle, iri, url}. */
export function toDesignRef(design: DesignView): JsonOf<typeof DesignRefJson> {
  return { handle: design.handle, iri: design.iri, url: design.url };
}

const toMaintainer = (config: UrlConfig, m: DesignMaintainer): JsonOf<typeof MaintainerJson> => {
  const url = new URL(actorPagePath(m.handle), config.publicUrl).href;
  return { handle: m.handle, acct: `${m.handle}@${config.publicUrl.host}`, name: m.name, url };
};

export function toDesignMaintainersJson(config: UrlConfig, maintainers: readonly DesignMaintainer[]): JsonOf<typeof DesignMaintainersJson> {
  return { maintainers: maintainers.map((m) => toMaintainer(config, m)) };
}

/** A design as listed: no releases or counts. */
export function toDesignSummaryJson(config: UrlConfig, design: DesignView): JsonOf<typeof DesignSummaryJson> {
  return {
    ...toDesignRef(design),
    acct: `${design.handle}@${config.publicUrl.host}`,
    name: design.name,
    summary: design.summaryMarkdown,
    summaryHtml: design.summaryHtml,
    function: design.function,
    tags: design.tags,
    licence: design.licence,
    documentationLicence: design.documentationLicence,
    licensor: design.licensor,
    project: design.project,
    forkOf: design.forkOf,
    forkChain: design.forkChain,
    listed: design.listed,
    createdAt: design.createdAt.toISOString(),
    updatedAt: design.updatedAt.toISOString(),
  };
}

export function toDesignJson(
  config: UrlConfig,
  design: DesignView,
  extra: { releases: readonly ReleaseView[]; maintainers: readonly DesignMaintainer[]; followersCount: number; forksCount: number; madeCount: number },
): JsonOf<typeof DesignJson> {
  return {
    ...toDesignSummaryJson(config, design),
    maintainers: extra.maintainers.map((m) => toMaintainer(config, m)),
    releases: extra.releases.map((r) => ({ version: r.version, iri: r.iri, url: r.url, publishedAt: r.publishedAt.toISOString(), totalBytes: r.totalBytes, fileCount: r.files.length })),
    followersCount: extra.followersCount,
    forksCount: extra.forksCount,
    madeCount: extra.madeCount,
  };
}

/** Replies, likes and boosts of the release's announcement on the fediverse. */
export interface AnnouncementCounts {
  readonly replies: number;
  readonly likes: number;
  readonly boosts: number;
}

export function toReleaseJson(config: UrlConfig, release: ReleaseView, made: { count: number; cities: readonly string[] }, counts: AnnouncementCounts): JsonOf<typeof ReleaseJson> {
  const at = (path: string) => new URL(path, config.publicUrl).href;
  return {
    version: release.version,
    iri: release.iri,
    url: release.url,
    design: release.designHandle,
    notes: release.notesMarkdown,
    notesHtml: release.notesHtml,
    trl: release.trl,
    drl: release.drl,
    bom: release.bom,
    licence: release.licence,
    documentationLicence: release.documentationLicence,
    totalBytes: release.totalBytes,
    files: release.files.map((file) => ({
      name: file.name,
      size: file.size,
      sha256: file.sha256,
      url: file.url,
      mediaType: file.mediaType,
      role: file.role,
      previewUrl: previewUrlOf(config.publicUrl, release, file),
    })),
    manifestUrl: at(releaseManifestPath(release.designHandle, release.version, "toml")),
    manifestJsonLdUrl: at(releaseManifestPath(release.designHandle, release.version, "jsonld")),
    zipUrl: at(releaseArchivePath(release.designHandle, release.version)),
    madeCount: made.count,
    cities: made.cities,
    publishedAt: release.publishedAt.toISOString(),
    forkOf: release.forkOf,
    announcement: { iri: at(notePath(release.designHandle, release.id)), counts },
  };
}

export const DesignRefJson = z
  .object({
    handle: z.string().meta({ example: "solar-dryer" }),
    iri: Url.meta({ description: "The design's `Service` actor" }),
    url: Url.meta({ description: "The design page (same URL as the actor)" }),
  })
  .meta({ id: "DesignRef" });

const ForkLinkJson = z
  .object({
    release: Url.meta({ description: "The release forked" }),
    design: Url.meta({ description: "Its design" }),
    name: z.string(),
    host: z.string().meta({ description: "The node it is on" }),
    licence: z.string().meta({ description: "SPDX id" }),
  })
  .meta({ id: "ForkLink" });

export const DesignSummaryJson = DesignRefJson.extend({
  acct: z.string().meta({ example: "solar-dryer@node.example", description: "Fediverse address" }),
  name: z.string(),
  summary: z.string().meta({ description: "Markdown source" }),
  summaryHtml: z.string(),
  function: z.string().meta({ description: "What it does (OKH `function`)" }),
  tags: z.array(z.string()),
  licence: z.string().meta({ description: "SPDX id", example: "CERN-OHL-S-2.0" }),
  documentationLicence: z.string().nullable(),
  licensor: z.string(),
  project: z.object({ handle: z.string(), name: z.string() }).nullable().meta({ description: "The linked local project" }),
  forkOf: Url.nullable().meta({ description: "The release this design was forked from" }),
  forkChain: z.array(ForkLinkJson).meta({ description: "Every link back to the original, oldest first" }),
  listed: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: "DesignSummary" });

export const DesignJson = DesignSummaryJson.extend({
  maintainers: z.array(MaintainerJson),
  releases: z
    .array(z.object({ version: z.string(), iri: Url, url: Url, publishedAt: Timestamp, totalBytes: z.number().int(), fileCount: z.number().int() }))
    .meta({ description: "Newest version first" }),
  followersCount: z.number().int().meta({ description: "Accounts following the design, here and on the fediverse" }),
  forksCount: z.number().int(),
  madeCount: z.number().int().meta({ description: "Builds reported of any release" }),
}).meta({ id: "Design" });

export const DesignMaintainersJson = z.object({ maintainers: z.array(MaintainerJson) });

const BomLineJson = z
  .object({
    part: z.string(),
    quantity: z.number(),
    unit: z.string(),
    material: z.string().nullable(),
    source: z.string().nullable().meta({ description: "Source or supplier" }),
    link: z.string().nullable(),
  })
  .meta({ id: "BomLine" });

export const ReleaseJson = z
  .object({
    version: z.string(),
    iri: Url.meta({ description: "The `Release` object" }),
    url: Url,
    design: z.string().meta({ description: "The design's handle" }),
    notes: z.string().meta({ description: "Markdown source" }),
    notesHtml: z.string(),
    trl: z.string().nullable().meta({ description: "OKH technology readiness level (OTRL-1…8)" }),
    drl: z.string().nullable().meta({ description: "OKH documentation readiness level (ODRL-1…4)" }),
    bom: z.array(BomLineJson),
    licence: z.string(),
    documentationLicence: z.string().nullable(),
    totalBytes: z.number().int(),
    files: z.array(
      z.object({
        name: z.string(),
        size: z.number().int(),
        sha256: z.string(),
        url: Url,
        mediaType: z.string(),
        role: z.string().nullable(),
        previewUrl: Url.nullable().meta({ description: "A WebP preview, for raster images" }),
      }),
    ),
    manifestUrl: Url.meta({ description: "The Open Know-How manifest (okh.toml)" }),
    manifestJsonLdUrl: Url,
    zipUrl: Url,
    madeCount: z.number().int(),
    cities: z.array(z.string()).meta({ description: "Distinct cities it was built in" }),
    publishedAt: Timestamp,
    forkOf: Url.nullable(),
    announcement: z
      .object({
        iri: Url.meta({ description: "The Note that told the design's followers" }),
        counts: z.object({ replies: z.number().int(), likes: z.number().int(), boosts: z.number().int() }),
      })
      .meta({ description: "The release's announcement, with its replies, likes and boosts from the fediverse" }),
  })
  .meta({ id: "Release" });
