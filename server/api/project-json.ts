import { z } from "zod";
import type { Config } from "../platform/config.ts";
import type { MediaInfo } from "../modules/media/media.service.ts";
import type { NoteCounts, NoteReply } from "../modules/notes/index.ts";
import type { ProjectUpdate } from "../modules/notes/update.service.ts";
import type { MaintainerSummary } from "../modules/projects/index.ts";
import type { ProjectView } from "../modules/projects/project.service.ts";
import { actorPagePath, notePath } from "../../federation/uris.ts";
import { type JsonOf, Timestamp, Url } from "./openapi-registry.ts";
import { RemoteAccountJson, RemoteAttachmentJson } from "./remote-json.ts";

type UrlConfig = Pick<Config, "publicUrl">;

/** A local actor's IRI (a project, a member), which is also its page. */
export function actorIri(config: UrlConfig, handle: string): string {
  return new URL(actorPagePath(handle), config.publicUrl).href;
}

export function updateIri(config: UrlConfig, handle: string, id: string): string {
  return new URL(notePath(handle, id), config.publicUrl).href;
}

/** POST /api/v1/projects answers {id, handle, acct, iri, url}. */
export function toProjectRef(config: UrlConfig, project: ProjectView): JsonOf<typeof ProjectRefJson> {
  const iri = actorIri(config, project.handle);
  return { id: project.actorId, handle: project.handle, acct: `${project.handle}@${config.publicUrl.host}`, iri, url: iri };
}

export function toMaintainerJson(config: UrlConfig, m: MaintainerSummary): JsonOf<typeof MaintainerJson> {
  return { handle: m.handle, acct: `${m.handle}@${config.publicUrl.host}`, name: m.name, url: actorIri(config, m.handle) };
}

function toImageJson(media: MediaInfo | null): JsonOf<typeof ImageJson> | null {
  if (media === null) return null;
  return { id: media.id, url: media.url, description: media.alt, width: media.width, height: media.height, blurhash: media.blurhash, focus: { x: media.focalX, y: media.focalY } };
}

export function toProjectJson(config: UrlConfig, project: ProjectView, extra: { maintainers: readonly MaintainerSummary[]; followersCount: number }): JsonOf<typeof ProjectJson> {
  return {
    ...toProjectRef(config, project),
    name: project.name,
    summary: project.summaryMarkdown,
    summaryHtml: project.summaryHtml,
    tags: project.tags,
    location: toLocationJson(project.location),
    website: project.website,
    avatar: toImageJson(project.avatar),
    banner: toImageJson(project.banner),
    maintainers: extra.maintainers.map((m) => toMaintainerJson(config, m)),
    followersCount: extra.followersCount,
    archived: project.archivedAt !== null,
    archivedAt: project.archivedAt?.toISOString() ?? null,
    listed: project.listed,
    createdAt: project.createdAt.toISOString(),
  };
}

/** {name, latitude, longitude}, with locality, region, country and bioregion when given. */
function toLocationJson(location: ProjectView["location"]): JsonOf<typeof LocationJson> | null {
  if (location === null) return null;
  const { name, latitude, longitude, locality, region, country, bioregion } = location;
  return { name, latitude, longitude, ...(locality !== null && { locality }), ...(region !== null && { region }), ...(country !== null && { country }), ...(bioregion !== null && { bioregion }) };
}

export function toUpdateJson(config: UrlConfig, update: ProjectUpdate, extra?: { replies?: readonly NoteReply[]; counts?: NoteCounts }): JsonOf<typeof UpdateJson> {
  const iri = updateIri(config, update.projectHandle, update.id);
  return {
    id: update.id,
    iri,
    url: iri,
    project: update.projectHandle,
    content: update.contentSource,
    contentHtml: update.contentHtml,
    tags: update.hashtags,
    published: update.publishedAt.toISOString(),
    edited: update.editedAt?.toISOString() ?? null,
    pinned: update.pinnedAt !== null,
    images: update.images.map(toImageJson),
    ...(extra?.replies && { replies: extra.replies.map(toReplyJson) }),
    ...(extra?.counts && { counts: extra.counts }),
  };
}

function toReplyJson(reply: NoteReply): JsonOf<typeof UpdateReplyJson> {
  return {
    iri: reply.iri,
    url: reply.url,
    contentHtml: reply.contentHtml,
    summary: reply.summary,
    sensitive: reply.sensitive,
    attachments: reply.attachments,
    published: reply.publishedAt.toISOString(),
    edited: reply.editedAt?.toISOString() ?? null,
    author: { acct: reply.author.handle, name: reply.author.name, iri: reply.author.iri, url: reply.author.url, avatar: reply.author.iconUrl },
  };
}

export const ImageJson = z
  .object({
    id: z.string(),
    url: Url,
    description: z.string().meta({ description: "Alt text" }),
    width: z.number().int(),
    height: z.number().int(),
    blurhash: z.string(),
    focus: z.object({ x: z.number(), y: z.number() }).meta({ description: "Focal point, each coordinate in -1..1" }),
  })
  .meta({ id: "Image" });

export const ProjectRefJson = z
  .object({
    id: z.number().int(),
    handle: z.string().meta({ example: "bike-kitchen" }),
    acct: z.string().meta({ example: "bike-kitchen@node.example", description: "Fediverse address" }),
    iri: Url.meta({ description: "The Group actor's id" }),
    url: Url.meta({ description: "The project page (same URL as the actor)" }),
  })
  .meta({ id: "ProjectRef" });

export const LocationJson = z
  .object({
    name: z.string().nullable(),
    latitude: z.number(),
    longitude: z.number(),
    locality: z.string().optional().meta({ description: "Town or city, for the directory" }),
    region: z.string().optional(),
    country: z.string().optional().meta({ description: "ISO 3166-1 alpha-2" }),
    bioregion: z.string().optional(),
  })
  .meta({ id: "Location" });

export const MaintainerJson = z.object({ handle: z.string(), acct: z.string(), name: z.string(), url: Url }).meta({ id: "Maintainer" });

export const ProjectJson = ProjectRefJson.extend({
  name: z.string(),
  summary: z.string().meta({ description: "Markdown source" }),
  summaryHtml: z.string().meta({ description: "Rendered to Mastodon's HTML subset" }),
  tags: z.array(z.string()),
  location: LocationJson.nullable(),
  website: z.string().nullable(),
  avatar: ImageJson.nullable(),
  banner: ImageJson.nullable(),
  maintainers: z.array(MaintainerJson),
  followersCount: z.number().int(),
  archived: z.boolean(),
  archivedAt: Timestamp.nullable(),
  listed: z.boolean().meta({ description: "Listed in the directory" }),
  createdAt: Timestamp,
}).meta({ id: "Project" });

export const UpdateRefJson = z
  .object({ id: z.uuid(), iri: Url.meta({ description: "The Note's id" }), url: Url })
  .meta({ id: "UpdateRef" });

/** A reply from the fediverse to an update, sanitised when it was received. */
export const UpdateReplyJson = z
  .object({
    iri: Url,
    url: Url.nullable(),
    contentHtml: z.string(),
    summary: z.string().nullable().meta({ description: "Content warning, plain text" }),
    sensitive: z.boolean(),
    attachments: z.array(RemoteAttachmentJson),
    published: Timestamp,
    edited: Timestamp.nullable(),
    author: RemoteAccountJson,
  })
  .meta({ id: "UpdateReply" });

export const UpdateJson = UpdateRefJson.extend({
  project: z.string().meta({ description: "The project's handle" }),
  content: z.string().meta({ description: "Markdown source" }),
  contentHtml: z.string(),
  tags: z.array(z.string()),
  published: Timestamp,
  edited: Timestamp.nullable(),
  pinned: z.boolean(),
  images: z.array(ImageJson.nullable()),
  replies: z.array(UpdateReplyJson).optional().meta({ description: "Replies from the fediverse, oldest first (GET of one update only)" }),
  counts: z.object({ replies: z.number().int(), likes: z.number().int(), boosts: z.number().int() }).optional(),
}).meta({ id: "Update" });
