import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { BIO_MAX_LENGTH, blankToUndefined, ProfileSchema } from "../../server/modules/accounts/account.schemas.ts";
import type { MemberProfile } from "../../server/modules/accounts/index.ts";
import { MAX_IMAGE_BYTES } from "../../server/modules/media/image-pipeline.ts";
import { MediaUploadSchema } from "../../server/modules/media/media.schema.ts";
import { mediaUrl } from "../../server/modules/media/media-url.ts";
import { actorPagePath } from "../../federation/uris.ts";
import { fieldErrors, formText } from "../form-values.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { MemberPage } from "../pages/member-page.ts";
import { ProfileSettingsPage } from "../pages/profile-settings-page.ts";
import { loginRedirect } from "../sign-in-redirect.ts";
import { statusOf } from "../../server/http/error-status.ts";

/** Members' profile editing; their pages are `memberPage`, reached through web/routes/actor-pages.ts. */
export function createMemberRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { config } = deps;
  const { accounts } = deps.services;

  const renderSettings = (c: Context<AppEnv>, status: 200 | 404 | 413 | 415 | 422, profile: MemberProfile, values: { displayName: string; bio: string }, errors: FieldErrors, saved = false) =>
    c.html(
      ProfileSettingsPage({
        page: pageContext(c, deps),
        handle: profile.handle,
        values,
        avatarUrl: profile.avatar === null ? null : mediaUrl(config.publicUrl, profile.avatar.id),
        errors,
        saved,
        bioMaxLength: BIO_MAX_LENGTH,
      }),
      status,
    );

  routes.get("/settings/profile", async (c) => {
    const viewer = c.get("viewer");
    if (!viewer) return loginRedirect(c);
    const profile = await accounts.profile(viewer.id);
    if (profile === undefined) return loginRedirect(c);
    return renderSettings(c, 200, profile, { displayName: profile.displayName, bio: profile.bio }, {}, c.req.query("saved") === "1");
  });

  routes.post("/settings/profile", async (c) => {
    const viewer = c.get("viewer");
    if (!viewer) return loginRedirect(c);
    const profile = await accounts.profile(viewer.id);
    if (profile === undefined) return loginRedirect(c);
    const body = await c.req.parseBody();
    const values = { displayName: formText(body, "displayName"), bio: formText(body, "bio") };
    const parsed = ProfileSchema.safeParse(blankToUndefined({ displayName: values.displayName, bio: values.bio }));
    if (!parsed.success) return renderSettings(c, 422, profile, values, fieldErrors(parsed.error));
    try {
      const avatar = await uploadAvatar(deps, profile.actorId, body.avatar);
      // An emptied field clears it: the form always sends both.
      const input = { displayName: parsed.data.displayName ?? "", bio: parsed.data.bio ?? "", ...(avatar && { avatar }) };
      await accounts.editProfile(viewer.id, input);
    } catch (error) {
      const status = error instanceof DomainError ? statusOf(error) : undefined;
      if (!(error instanceof DomainError) || (status !== 404 && status !== 413 && status !== 415 && status !== 422)) throw error;
      return renderSettings(c, status, profile, values, { avatar: error.message });
    }
    return c.redirect("/settings/profile?saved=1", 303);
  });

  return routes;
}

/** A file chosen in the form goes through the media pipeline as an avatar; no file keeps the current one. */
async function uploadAvatar(deps: AppDeps, actorId: number, file: unknown): Promise<string | undefined> {
  if (!(file instanceof Blob) || file.size === 0) return undefined;
  if (file.size > MAX_IMAGE_BYTES) throw new DomainError("too_large", "payload_too_large", `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
  const upload = MediaUploadSchema.parse({ purpose: "avatar" });
  const stored = await deps.services.media.upload(actorId, new Uint8Array(await file.arrayBuffer()), upload);
  return stored.id;
}

/** A member's profile page (the HTML face of the `Person`); undefined when there is no active member. */
export async function memberPage(deps: AppDeps, c: Context<AppEnv>, handle: string): Promise<Response | undefined> {
  const { config } = deps;
  const profile = await deps.services.accounts.profileByHandle(handle);
  if (profile === undefined || profile.status !== "active") return undefined;
  return await c.html(
    MemberPage({
      page: pageContext(c, deps),
      displayName: profile.displayName || profile.handle,
      fediverseHandle: fediverseHandle(deps, profile.handle),
      bio: profile.bio,
      avatarUrl: profile.avatar === null ? null : mediaUrl(config.publicUrl, profile.avatar.id),
      actorIri: new URL(actorPagePath(profile.handle), config.publicUrl).href,
      joined: profile.createdAt,
      own: c.get("viewer")?.id === profile.accountId,
    }),
  );
}
