import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";

export interface ActorPageProps {
  readonly page: PageContext;
  readonly name: string;
  readonly summary: string;
  readonly handle: string;
  /** The ActivityPub document of the same actor, for `<link rel="alternate">`. */
  readonly actorIri: string;
}

/** The HTML face of a local actor, on the same URL as its ActivityPub document. */
export function ActorPage(props: ActorPageProps) {
  return Layout({
    title: `${props.name} (${props.handle})`,
    page: props.page,
    head: html`<link rel="alternate" type="application/activity+json" href="${props.actorIri}">`,
    body: html`<article class="actor">
      <h1 class="actor-name">${props.name}</h1>
      <p class="handle">${props.handle}</p>
      <p class="actor-summary">${props.summary}</p>
    </article>`,
  });
}
