import type { Config } from "../platform/config.ts";
import type { MediaInfo } from "../modules/media/media.service.ts";
import type { NoteCounts, NoteReply } from "../modules/notes/index.ts";
import type { ProjectUpdate } from "../modules/notes/update.service.ts";
import type { MaintainerSummary } from "../modules/projects/index.ts";
import type { ProjectView } from "../modules/projects/project.service.ts";
import { actorPagePath, notePath } from "../../federation/uris.ts";

type UrlConfig = Pick<Config, "publicUrl">;

/** A local actor's IRI (a project, a member), which is also its page. */
export function actorIri(config: UrlConfig, handle: string): string {
  return new URL(actorPagePath(handle), config.publicUrl).href;
}

export function updateIri(config: UrlConfig, handle: string, id: string): string {
  return new URL(notePath(handle, id), config.publicUrl).href;
}

/** POST /api/v1/projects answers {id, handle, acct, iri, url}. */
export function toProjectRef(config: UrlConfig, project: ProjectView) {
  const iri = actorIri(config, project.handle);
  return { id: project.actorId, handle: project.handle, acct: `${project.handle}@${config.publicUrl.host}`, iri, url: iri };
}

export function toMaintainerJson(config: UrlConfig, m: MaintainerSummary) {
  return { handle: m.handle, acct: `${m.handle}@${config.publicUrl.host}`, name: m.name, url: actorIri(config, m.handle) };
}

function toImageJson(media: MediaInfo | null) {
  if (media === null) return null;
  return { id: media.id, url: media.url, description: media.alt, width: media.width, height: media.height, blurhash: media.blurhash, focus: { x: media.focalX, y: media.focalY } };
}

export function toProjectJson(config: UrlConfig, project: ProjectView, extra: { maintainers: readonly MaintainerSummary[]; followersCount: number }) {
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
function toLocationJson(location: ProjectView["location"]) {
  if (location === null) return null;
  const { name, latitude, longitude, locality, region, country, bioregion } = location;
  return { name, latitude, longitude, ...(locality !== null && { locality }), ...(region !== null && { region }), ...(country !== null && { country }), ...(bioregion !== null && { bioregion }) };
}

export function toUpdateJson(config: UrlConfig, update: ProjectUpdate, extra?: { replies?: readonly NoteReply[]; counts?: NoteCounts }) {
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

function toReplyJson(reply: NoteReply) {
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

const IMAGE_SCHEMA = {
  type: ["object", "null"],
  properties: {
    id: { type: "string" },
    url: { type: "string", format: "uri" },
    description: { type: "string", description: "Alt text" },
    width: { type: "integer" },
    height: { type: "integer" },
    blurhash: { type: "string" },
    focus: { type: "object", properties: { x: { type: "number" }, y: { type: "number" } } },
  },
} as const;

export const PROJECT_REF_SCHEMA = {
  type: "object",
  required: ["id", "handle", "acct", "iri", "url"],
  properties: {
    id: { type: "integer" },
    handle: { type: "string", example: "bike-kitchen" },
    acct: { type: "string", example: "bike-kitchen@node.example", description: "Fediverse address" },
    iri: { type: "string", format: "uri", description: "The Group actor's id" },
    url: { type: "string", format: "uri", description: "The project page (same URL as the actor)" },
  },
} as const;

export const LOCATION_SCHEMA = {
  type: ["object", "null"],
  required: ["latitude", "longitude"],
  properties: {
    name: { type: ["string", "null"], maxLength: 200 },
    latitude: { type: "number", minimum: -90, maximum: 90 },
    longitude: { type: "number", minimum: -180, maximum: 180 },
    locality: { type: ["string", "null"], maxLength: 200, description: "Town or city, for the directory" },
    region: { type: ["string", "null"], maxLength: 200 },
    country: { type: ["string", "null"], pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" },
    bioregion: { type: ["string", "null"], maxLength: 200 },
  },
} as const;

export const PROJECT_SCHEMA = {
  type: "object",
  properties: {
    ...PROJECT_REF_SCHEMA.properties,
    name: { type: "string" },
    summary: { type: "string", description: "Markdown source" },
    summaryHtml: { type: "string", description: "Rendered to Mastodon's HTML subset" },
    tags: { type: "array", items: { type: "string" } },
    location: LOCATION_SCHEMA,
    website: { type: ["string", "null"], format: "uri" },
    avatar: IMAGE_SCHEMA,
    banner: IMAGE_SCHEMA,
    maintainers: { type: "array", items: { type: "object", properties: { handle: { type: "string" }, acct: { type: "string" }, name: { type: "string" }, url: { type: "string" } } } },
    followersCount: { type: "integer" },
    archived: { type: "boolean" },
    archivedAt: { type: ["string", "null"], format: "date-time" },
    listed: { type: "boolean", description: "Listed in the directory" },
    createdAt: { type: "string", format: "date-time" },
  },
} as const;

export const UPDATE_REF_SCHEMA = {
  type: "object",
  required: ["id", "iri", "url"],
  properties: { id: { type: "string", format: "uuid" }, iri: { type: "string", format: "uri", description: "The Note's id" }, url: { type: "string", format: "uri" } },
} as const;

export const UPDATE_SCHEMA = {
  type: "object",
  properties: {
    ...UPDATE_REF_SCHEMA.properties,
    project: { type: "string" },
    content: { type: "string", description: "Markdown source" },
    contentHtml: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    published: { type: "string", format: "date-time" },
    edited: { type: ["string", "null"], format: "date-time" },
    pinned: { type: "boolean" },
    images: { type: "array", items: IMAGE_SCHEMA },
    replies: {
      type: "array",
      description: "Replies from the fediverse (sanitised HTML), oldest first",
      items: { type: "object", properties: { iri: { type: "string" }, url: { type: ["string", "null"] }, contentHtml: { type: "string" }, published: { type: "string" }, author: { type: "object" } } },
    },
    counts: { type: "object", properties: { replies: { type: "integer" }, likes: { type: "integer" }, boosts: { type: "integer" } } },
  },
} as const;
