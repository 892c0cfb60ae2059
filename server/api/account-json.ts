import type { Config } from "../platform/config.ts";
import type { MemberProfile } from "../modules/accounts/index.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { mediaUrl } from "../modules/media/media-url.ts";

/** The account shape of POST /api/v1/accounts: {id, handle, acct, url, status}. */
export function toAccountJson(config: Pick<Config, "publicUrl">, profile: MemberProfile) {
  return {
    id: profile.accountId,
    handle: profile.handle,
    acct: `${profile.handle}@${config.publicUrl.host}`,
    url: new URL(actorPagePath(profile.handle), config.publicUrl).href,
    status: profile.status,
  };
}

/** The signed-in member's own view (GET /api/v1/me), and what admins see of an account. */
export function toProfileJson(config: Pick<Config, "publicUrl">, profile: MemberProfile) {
  return {
    ...toAccountJson(config, profile),
    displayName: profile.displayName,
    bio: profile.bio,
    avatar: profile.avatar === null ? null : mediaUrl(config.publicUrl, profile.avatar.id),
    role: profile.role,
    createdAt: profile.createdAt.toISOString(),
  };
}

export const ACCOUNT_SCHEMA = {
  type: "object",
  required: ["id", "handle", "acct", "url", "status"],
  properties: {
    id: { type: "integer" },
    handle: { type: "string", example: "alice" },
    acct: { type: "string", example: "alice@node.example", description: "The fediverse address, handle@host" },
    url: { type: "string", format: "uri", description: "The member's page, also their ActivityPub actor id" },
    status: { type: "string", enum: ["active", "pending", "disabled"] },
  },
} as const;

export const PROFILE_SCHEMA = {
  type: "object",
  required: [...ACCOUNT_SCHEMA.required, "displayName", "bio", "avatar", "role", "createdAt"],
  properties: {
    ...ACCOUNT_SCHEMA.properties,
    displayName: { type: "string" },
    bio: { type: "string", description: "Plain text, at most 500 characters" },
    avatar: { type: ["string", "null"], format: "uri" },
    role: { type: "string", enum: ["member", "admin"] },
    createdAt: { type: "string", format: "date-time" },
  },
} as const;
