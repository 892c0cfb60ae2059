import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

export interface ErrorPageProps {
  readonly page: PageContext;
  readonly status: number;
  readonly title: string;
  readonly message: string;
}

export function ErrorPage(props: ErrorPageProps) {
  return Layout({
    title: `${props.title} · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="error" data-status="${props.status}">
      <h1>${props.title}</h1>
      <p>${props.message}</p>
      <p><a href="/">Back to the front page</a></p>
    </section>`,
  });
}
