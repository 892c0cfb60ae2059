import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export interface LayoutProps {
  readonly title: string;
  readonly nodeName: string;
  readonly body: HtmlEscapedString | Promise<HtmlEscapedString>;
  /** Extra <link>/<meta> elements, e.g. the ActivityPub alternate of an actor page. */
  readonly head?: HtmlEscapedString | Promise<HtmlEscapedString>;
}

/**
 * The page frame. Pages are `hono/html` templates rather than JSX because Node's type stripping does
 * not transform .tsx; interpolations are escaped all the same.
 */
export function Layout(props: LayoutProps) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${props.title}</title>
    <style>${STYLE}</style>
    ${props.head ?? ""}
  </head>
  <body>
    <header class="site"><a href="/" class="brand">${props.nodeName}</a></header>
    <main>${props.body}</main>
    <footer class="site">Powered by <a href="https://www.w3.org/TR/activitypub/">ActivityPub</a> · Commonsnet</footer>
  </body>
</html>`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2521; --muted: #58625c; --accent: #1f6f4a; --bg: #fbfaf6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6ece8; --muted: #a4b0a9; --accent: #6fd0a0; --bg: #151a17; } }
body { margin: 0; font: 1rem/1.55 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header.site, footer.site, main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
header.site { border-bottom: 1px solid color-mix(in srgb, var(--fg) 15%, transparent); }
footer.site { color: var(--muted); font-size: .875rem; }
a { color: var(--accent); }
.brand { font-weight: 700; text-decoration: none; font-size: 1.15rem; }
h1 { line-height: 1.2; }
.handle { color: var(--muted); font-family: ui-monospace, monospace; }
`;
