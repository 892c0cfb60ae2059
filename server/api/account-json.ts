import { z } from "zod";
import type { Config } from "../platform/config.ts";
import type { MemberProfile } from "../modules/accounts/index.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { mediaUrl } from "../modules/media/media-url.ts";
import { type JsonOf, Timestamp, Url } from "./openapi-registry.ts";

/** The account shape of POST /api/v1/accounts: {id, handle, acct, url, status}. */
export function toAccountJson(config: Pick<Config, "publicUrl">, profile: MemberProfile): JsonOf<typeof AccountJson> {
  return {
    id: profile.accountId,
    handle: profile.handle,
    acct: `${profile.handle}@${config.publicUrl.host}`,
    url: new URL(actorPagePath(profile.handle), config.publicUrl).href,
    status: profile.status,
  };
}

/** The signed-in member's own view (GET /api/v1/me), and what admins see of an account. */
export function toProfileJson(config: Pick<Config, "publicUrl">, profile: MemberProfile): JsonOf<typeof ProfileJson> {
  return {
    ...toAccountJson(config, profile),
    displayName: profile.displayName,
    bio: profile.bio,
    avatar: profile.avatar === null ? null : mediaUrl(config.publicUrl, profile.avatar.id),
    role: profile.role,
    createdAt: profile.createdAt.toISOString(),
  };
}

export const AccountJson = z
  .object({
    id: z.number().int(),
    handle: z.string().meta({ example: "alice" }),
    acct: z.string().meta({ example: "alice@node.example", description: "The fediverse address, handle@host" }),
    url: Url.meta({ description: "The member's page, also their ActivityPub actor id" }),
    status: z.enum(["active", "pending", "disabled"]),
  })
  .meta({ id: "Account" });

export const ProfileJson = AccountJson.extend({
  displayName: z.string(),
  bio: z.string().meta({ description: "Plain text" }),
  avatar: Url.nullable(),
  role: z.enum(["member", "admin"]),
  createdAt: Timestamp,
}).meta({ id: "Profile" });
