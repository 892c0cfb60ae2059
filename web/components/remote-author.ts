import { html } from "hono/html";
import { REMOTE_USERNAME, stripBidiControls } from "../../server/modules/remote-actors/remote-actor.schema.ts";

/** A remote account as a page shows it beside what it did. */
export interface RemoteAuthorProps {
  /** Display name, as the account's server sent it (plain text). */
  readonly name: string;
  /** `user@host` as stored. */
  readonly handle: string;
  /** The actor's id: the one thing about it its server cannot fake (we fetched it from there). */
  readonly iri: string;
  /** Its profile page, as it claims. */
  readonly url: string | null;
}

/**
 * `user@host`, the host taken from the actor's id rather than from the stored handle, and the user
 * only when it is a username: a handle stored before usernames were checked may carry `@`, quotes or
 * bidi controls that pass for another account; then the host alone is shown.
 */
export function remoteAcct(handle: string, iri: string): string {
  const host = new URL(iri).host;
  const at = handle.lastIndexOf("@");
  const user = at > 0 ? handle.slice(0, at) : handle;
  return REMOTE_USERNAME.test(user) ? `${user}@${host}` : host;
}

/** The claimed profile page when it is on the actor's own host; otherwise its id, which is. */
export function remoteProfileUrl(props: Pick<RemoteAuthorProps, "iri" | "url">): string {
  return props.url !== null && URL.canParse(props.url) && new URL(props.url).host === new URL(props.iri).host ? props.url : props.iri;
}

/**
 * The name as plain text, never a link, and the handle with its real host as the link: a display
 * name can say anything (`https://mastodon.social/@Gargron`), so only the part its server cannot
 * choose freely points anywhere. Bidi controls are dropped again here, for names stored before the
 * inbox removed them.
 */
export function RemoteAuthor(props: RemoteAuthorProps, nameClass = "p-name") {
  const name = stripBidiControls(props.name).trim();
  return html`${name ? html`<span class="${nameClass}">${name}</span> ` : ""}<a class="u-url handle" href="${remoteProfileUrl(props)}" rel="nofollow noopener">@${remoteAcct(props.handle, props.iri)}</a>`;
}
