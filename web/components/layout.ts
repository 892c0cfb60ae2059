import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { PageContext } from "../page-context.ts";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface LayoutProps {
  readonly page: PageContext;
  readonly title: string;
  readonly body: Html;
  /** Extra <link>/<meta> elements, e.g. the ActivityPub alternate of an actor page. */
  readonly head?: Html;
}

/**
 * The page frame. Pages are `hono/html` templates rather than JSX because Node's type stripping does
 * not transform .tsx; interpolations are escaped all the same. No inline scripts (CSP script-src 'self').
 */
export function Layout(props: LayoutProps) {
  const { page } = props;
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${props.title}</title>
    <link rel="stylesheet" href="/static/site.css">
    <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
    ${props.head ?? ""}
  </head>
  <body>
    <header class="site">
      <a href="/" class="brand">${page.nodeName}</a>
      <nav aria-label="Main">${Navigation(page)}</nav>
    </header>
    <main id="main">${props.body}</main>
    <footer class="site">Powered by Commonsnet · <a href="/charter">Charter</a> · <a href="/api/openapi.json">API</a></footer>
  </body>
</html>`;
}

function Navigation(page: PageContext) {
  if (page.viewer === null) {
    return html`<a href="/directory">Directory</a> <a href="/login">Log in</a> <a href="/register">Register</a>`;
  }
  return html`<a href="/timeline">Timeline</a> <a href="/directory">Directory</a> <a href="/projects/new">New project</a> <a href="/designs/new">New design</a>
    ${page.viewer.role === "admin" ? html`<a href="/admin/accounts">Accounts</a> <a href="/admin/charter">Charter</a> <a href="/admin/peers">Peers</a>` : ""}
    <a href="/@${page.viewer.handle}" class="viewer-handle">@${page.viewer.handle}</a>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="${page.csrfToken}">
      <button type="submit">Log out</button>
    </form>`;
}
