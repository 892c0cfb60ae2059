import { Add, Create, Delete, Hashtag, Image, LanguageString, Note, PUBLIC_COLLECTION, Remove, Tombstone, Update } from "@fedify/vocab";
import type { ProjectUpdate } from "../../server/modules/notes/update.service.ts";
import { tagUrl } from "../../server/platform/text/markdown.ts";
import { toInstant } from "./temporal.ts";

export interface UpdateUris {
  /** The Note's id, also its HTML page (content-negotiated). */
  readonly id: URL;
  /** The project's `Group`: author and sender. */
  readonly group: URL;
  readonly followers: URL;
  readonly featured: URL;
  readonly tagBase: URL;
}

/** Updates are written in English for now; Mastodon takes the language from `contentMap`'s first key. */
const LANGUAGE = "en";

/**
 * A project update as the `Note` Mastodon displays in full (status_parser.rb, docs/mastodon.md#notes): attributed
 * to the Group that also sends it, public with the followers in `cc`, HTML from the allowlist with
 * `contentMap` for the language, Mastodon-style hashtag links plus `Hashtag` tags, and images as
 * `Image` attachments with `url` (never `href`, which would make a link card) and alt text in `name`.
 */
export function toUpdateNote(update: ProjectUpdate, uris: UpdateUris): Note {
  return new Note({
    id: uris.id,
    url: uris.id,
    attribution: uris.group,
    published: toInstant(update.publishedAt),
    updated: update.editedAt && toInstant(update.editedAt),
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    contents: [update.contentHtml, new LanguageString(update.contentHtml, LANGUAGE)],
    sensitive: false,
    tags: update.hashtags.map((tag) => new Hashtag({ href: new URL(tagUrl(uris.tagBase, tag)), name: `#${tag}` })),
    attachments: update.images.map(
      (image) =>
        new Image({
          url: new URL(image.url),
          mediaType: image.contentType,
          name: image.alt || null,
          width: image.width,
          height: image.height,
        }),
    ),
  });
}

/** `Create(Note)`: the activity's actor is the Note's `attributedTo` (docs/mastodon.md#notes). */
export function toUpdateCreate(note: Note, update: ProjectUpdate, uris: UpdateUris): Create {
  return new Create({
    id: new URL(`${uris.id.href}#create`),
    actor: uris.group,
    object: note,
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    published: toInstant(update.publishedAt),
  });
}

/** `Update(Note)` for an edit; the id carries the edit time, so each edit's activity is new. */
export function toUpdateEdit(note: Note, update: ProjectUpdate, uris: UpdateUris): Update {
  const editedAt = update.editedAt ?? update.publishedAt;
  return new Update({
    id: new URL(`${uris.id.href}#updates/${editedAt.getTime()}`),
    actor: uris.group,
    object: note,
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    published: toInstant(editedAt),
  });
}

/** `Delete` with a `Tombstone`: Mastodon removes the post and never accepts the id again (delete.rb). */
export function toUpdateDelete(update: ProjectUpdate, uris: UpdateUris): Delete {
  const deletedAt = update.deletedAt ?? new Date();
  return new Delete({
    id: new URL(`${uris.id.href}#delete`),
    actor: uris.group,
    object: new Tombstone({ id: uris.id, formerType: Note, deleted: toInstant(deletedAt) }),
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    published: toInstant(deletedAt),
  });
}

/** Pinning: `Add` / `Remove` whose target is the Group's featured collection (add.rb). */
export function toFeaturedChange(kind: "add" | "remove", update: ProjectUpdate, uris: UpdateUris, at: Date): Add | Remove {
  const values = {
    id: new URL(`${uris.id.href}#${kind === "add" ? "pin" : "unpin"}/${at.getTime()}`),
    actor: uris.group,
    object: uris.id,
    target: uris.featured,
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    published: toInstant(at),
  };
  return kind === "add" ? new Add(values) : new Remove(values);
}

/**
 * Mastodon's media extensions (`toot:blurhash`, `toot:focalPoint`, read by
 * media_attachment_parser.rb), which Fedify's vocabulary does not model: added to the compact
 * JSON-LD of a Note, or of an activity whose object is the Note.
 */
export function withMastodonMediaFields(json: Record<string, unknown>, update: ProjectUpdate): Record<string, unknown> {
  if (update.images.length === 0) return json;
  const note = (json.type === "Note" ? json : json.object) as Record<string, unknown> | undefined;
  if (note === undefined || typeof note !== "object") return json;
  const attachments = Array.isArray(note.attachment) ? note.attachment : note.attachment === undefined ? [] : [note.attachment];
  note.attachment = attachments.map((item: Record<string, unknown>) => {
    const image = update.images.find((i) => i.url === item.url);
    return image === undefined ? item : { ...item, blurhash: image.blurhash, focalPoint: [image.focalX, image.focalY] };
  });
  const context = Array.isArray(json["@context"]) ? json["@context"] : [json["@context"]];
  json["@context"] = [
    ...context,
    { toot: "http://joinmastodon.org/ns#", blurhash: "toot:blurhash", focalPoint: { "@container": "@list", "@id": "toot:focalPoint" } },
  ];
  return json;
}
