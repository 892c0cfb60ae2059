import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import type { Viewer } from "../../server/http/viewer.ts";
import { DomainError } from "../../server/platform/errors.ts";
import type { Follower } from "../../server/modules/following/index.ts";
import { FollowRequestSchema } from "../../server/modules/following/following.schemas.ts";
import { parseTimelineCursor } from "../../server/modules/remote-posts/index.ts";
import { ReplySchema } from "../../server/modules/replies/reply.schema.ts";
import { fieldErrors, formText } from "../form-values.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { TimelinePage, type TimelinePageProps } from "../pages/timeline-page.ts";

const PAGE_SIZE = 20;

/** What a redirect after a form says happened (fixed texts: nothing from the query is shown). */
const NOTICES: Readonly<Record<string, string>> = {
  followed: "Follow requested. Posts appear here once the account accepts.",
  unfollowed: "Unfollowed.",
  replied: "Your reply was published.",
};

type FormState = Pick<TimelinePageProps, "followTarget" | "errors" | "replyError">;
const NO_FORM: FormState = { followTarget: "", errors: {}, replyError: null };

/** The member's timeline page and its forms: follow, unfollow, reply. Signed-in members only. */
export function createTimelineRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { following, remotePosts, replies } = deps.services;

  const render = async (c: Context<AppEnv>, viewer: Viewer, status: 200 | 404 | 410 | 422, form: FormState) => {
    // A cursor that is not ours shows the newest page, as a first visit would.
    const before = parseTimelineCursor(c.req.query("before") ?? "") ?? undefined;
    const [follows, page] = await Promise.all([following.list(viewer.actorId), remotePosts.timeline(viewer.actorId, { before, limit: PAGE_SIZE })]);
    return c.html(
      TimelinePage({
        page: pageContext(c, deps),
        follows: follows.map((f) => ({ iri: f.target.iri, acct: f.target.handle, name: f.target.name, url: f.target.url, state: f.state })),
        items: page.items.map((p) => ({
          iri: p.iri,
          url: p.url ?? p.iri,
          author: { iri: p.author.iri, acct: p.author.handle, name: p.author.name, url: p.author.url, avatar: p.author.iconUrl },
          contentHtml: p.contentHtml,
          summary: p.summary,
          sensitive: p.sensitive,
          published: p.publishedAt,
          inReplyTo: p.inReplyToIri,
          attachments: p.attachments,
        })),
        next: page.next,
        notice: NOTICES[c.req.query("done") ?? ""] ?? null,
        ...form,
      }),
      status,
    );
  };

  routes.get("/timeline", async (c) => {
    const viewer = c.get("viewer");
    if (!viewer) return c.redirect("/login?next=%2Ftimeline", 303);
    return await render(c, viewer, 200, NO_FORM);
  });

  routes.post("/timeline/follow", async (c) => {
    const viewer = signedIn(c);
    const followTarget = formText(await c.req.parseBody(), "target");
    const parsed = FollowRequestSchema.safeParse({ target: followTarget });
    if (!parsed.success) return await render(c, viewer, 422, { ...NO_FORM, followTarget, errors: fieldErrors(parsed.error) });
    try {
      await following.follow(followerOf(viewer), parsed.data.target);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return await render(c, viewer, 422, { ...NO_FORM, followTarget, errors: { target: error.message } });
    }
    return c.redirect("/timeline?done=followed", 303);
  });

  routes.post("/timeline/unfollow", async (c) => {
    const viewer = signedIn(c);
    const parsed = FollowRequestSchema.safeParse({ target: formText(await c.req.parseBody(), "target") });
    if (!parsed.success) return await render(c, viewer, 422, { ...NO_FORM, errors: { form: "That is not an account you follow." } });
    try {
      await following.unfollow(followerOf(viewer), parsed.data.target);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return await render(c, viewer, 404, { ...NO_FORM, errors: { form: error.message } });
    }
    return c.redirect("/timeline?done=unfollowed", 303);
  });

  routes.post("/timeline/reply", async (c) => {
    const viewer = signedIn(c);
    const body = await c.req.parseBody();
    const values = { inReplyTo: formText(body, "inReplyTo"), content: formText(body, "content") };
    const failed = (status: 410 | 422, message: string) =>
      render(c, viewer, status, { ...NO_FORM, replyError: { inReplyTo: values.inReplyTo, content: values.content, message } });
    const parsed = ReplySchema.safeParse(values);
    if (!parsed.success) return await failed(422, firstError(fieldErrors(parsed.error)));
    try {
      await replies.post(followerOf(viewer), parsed.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return await failed(error.kind === "gone" ? 410 : 422, error.message);
    }
    return c.redirect("/timeline?done=replied", 303);
  });

  return routes;
}

function followerOf(viewer: Viewer): Follower {
  return { actorId: viewer.actorId, handle: viewer.handle };
}

function signedIn(c: Context<AppEnv>): Viewer {
  const viewer = c.get("viewer");
  if (!viewer) throw new DomainError("unauthenticated", "unauthorized", "Log in to follow accounts and reply.");
  return viewer;
}

function firstError(errors: FieldErrors): string {
  const [field, message] = Object.entries(errors)[0] ?? ["form", "The reply is not valid."];
  return field === "content" ? `Reply ${message}.` : message;
}
