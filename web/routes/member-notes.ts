import { respondWithObjectIfAcceptable } from "@fedify/fedify";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { gone } from "../../server/platform/errors.ts";
import { loadMemberNoteObject } from "../../federation/member-notes.ts";
import { actorPagePath, memberNotePath } from "../../federation/uris.ts";
import { fediverseHandle, pageContext } from "../page-context.ts";
import { MemberNotePage } from "../pages/member-note-page.ts";

/**
 * A member's reply at its IRI, `/@{handle}/notes/{id}`: the `Note` for ActivityPub clients (Fedify
 * serialises it), a page for browsers. Project updates have Fedify's object dispatcher for Note, and
 * Fedify allows one per class, so members' notes are served here.
 */
export function createMemberNoteRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const federationDeps = { db: deps.db, box: deps.box, config: deps.config, services: deps.services };

  routes.get("/:actorPath{@[a-z0-9_.-]+}/notes/:id{[0-9a-f-]{36}}", async (c, next) => {
    const handle = c.req.param("actorPath").slice(1);
    const id = c.req.param("id");
    c.header("Vary", "Accept");
    // A member pending approval or disabled has no public actor, and so no public notes.
    const author = await deps.services.accounts.profileByHandle(handle);
    if (author?.status !== "active" || author.handle !== handle) return next();
    const ctx = deps.federation.createContext(c.req.raw, federationDeps);
    const object = await loadMemberNoteObject(ctx, handle, id);
    if (object === null) return next();
    if (object === "gone") throw gone("This reply was deleted.");
    const activityPub = await respondWithObjectIfAcceptable(object, c.req.raw, { contextLoader: ctx.contextLoader });
    if (activityPub !== null) return activityPub;
    const note = await deps.services.replies.find(handle, id);
    if (note === undefined) return next();
    return c.html(
      MemberNotePage({
        page: pageContext(c, deps),
        authorName: author.displayName,
        authorHandle: fediverseHandle(deps, handle),
        authorUrl: actorPagePath(handle),
        noteIri: new URL(memberNotePath(handle, id), deps.config.publicUrl).href,
        contentHtml: note.contentHtml,
        inReplyTo: note.inReplyToIri,
        published: note.publishedAt,
      }),
    );
  });

  return routes;
}
