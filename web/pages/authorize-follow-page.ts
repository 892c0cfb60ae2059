import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

export interface AuthorizeFollowPageProps {
  readonly page: PageContext;
  /** The visitor's handle as typed. */
  readonly acct: string;
  /** The IRI of the actor to follow (one of ours). */
  readonly target: string;
  readonly errors: FieldErrors;
}

const LABELS = { acct: "Your fediverse handle", target: "Account to follow" };

/**
 * "Follow from your fediverse account": the visitor gives their own handle, and is sent to their
 * server's follow page (the WebFinger subscribe template), where they are signed in.
 */
export function AuthorizeFollowPage(props: AuthorizeFollowPageProps) {
  return Layout({
    title: `Follow from your account · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="authorize-follow">
      <h1>Follow from your fediverse account</h1>
      <p>You will be sent to your own server (Mastodon or another), where you can follow
        <span class="handle">${props.target}</span>.</p>
      ${ErrorSummary({ errors: props.errors, labels: LABELS })}
      <form method="post" action="/authorize_follow" class="stacked" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        <input type="hidden" name="target" value="${props.target}">
        ${Field({ name: "acct", label: LABELS.acct, value: props.acct, errors: props.errors, required: true, hint: "Like @you@mastodon.social", autocomplete: "username", maxlength: 300 })}
        <button type="submit">Continue to my server</button>
      </form>
    </section>`,
  });
}
