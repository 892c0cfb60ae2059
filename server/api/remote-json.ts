import { z } from "zod";
import { Url } from "./openapi-registry.ts";

/**
 * Shapes of what other servers sent us, as the API shows them: the accounts members follow, their
 * posts and replies, and the media attached to those.
 */

/** An account on another server: a followee, a post's author. */
export const RemoteAccountJson = z
  .object({
    iri: Url.meta({ description: "The actor's id" }),
    acct: z.string().meta({ description: "`user@host`" }),
    name: z.string().meta({ description: "Plain text" }),
    url: Url.nullable(),
    avatar: Url.nullable(),
  })
  .meta({ id: "RemoteAccount" });

/** Media as the remote server described it (its URLs are the remote server's). */
export const RemoteAttachmentJson = z
  .object({
    url: Url,
    mediaType: z.string().nullable(),
    alt: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    blurhash: z.string().nullable(),
  })
  .meta({ id: "RemoteAttachment" });
